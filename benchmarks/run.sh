#!/usr/bin/env bash
# Runs the websocket-shootout comparison of the Tutti server and the plain Spring WebSocket
# baseline on this machine, and the JMH micro-benchmarks of the hub.
#
#   ./run.sh            broadcast steps, then idle memory, for both servers; prints a table
#   ./run.sh shootout   broadcast steps only
#   ./run.sh large      broadcasts of larger messages: Tutti, Tutti with Tomcat's buffer sizes,
#                       the baseline
#   ./run.sh memory     idle memory only
#   ./run.sh jmh        JMH micro-benchmarks only (short settings)
#   ./run.sh all        all of the above
#
# Each server runs pinned to CPU 0, the load generator to CPU 1; only 127.0.0.1 is used.
# Settings (environment): STEPS (1000,2000,3000), BROADCASTS (100), CONCURRENCY (4),
# WARMUP_BROADCASTS (500), ROUNDS (5 shootout rounds, each starting both servers afresh, in
# alternating order), LARGE_PADDING (7000 bytes added to each payload in the large mode),
# LARGE_CLIENTS (1000), LARGE_ROUNDS (3), LARGE_SERVERS ("tutti tutti-tomcat-buffers baseline"),
# IDLE_CLIENTS (2000), HEAP (1g), SERVER_JVM_EXTRA and LOAD_JVM_EXTRA (more JVM options, for
# example -Xlog:gc:file=gc.log), PORT (18080), SKIP_BUILD (0),
# SHOOTOUT_SERVERS ("tutti baseline"), MEMORY_VARIANTS ("tutti baseline tutti-tomcat-buffers
# baseline-small-buffers"), JMH_ARGS, NICE (0; a negative value favours the benchmark on a shared
# machine). Besides tutti and baseline, a server variant may be tutti-tomcat-buffers (Tutti with
# Tomcat's 8 KiB per-connection buffers instead of its own defaults) or baseline-small-buffers
# (the baseline with the buffer sizes Tutti sets by default); tutti-frame-SIZE (for example
# tutti-frame-8KB) is Tutti with that frame buffer size and its other defaults.
set -euo pipefail

cd "$(dirname "$0")"
MODE=${1:-default}
STEPS=${STEPS:-1000,2000,3000}
BROADCASTS=${BROADCASTS:-100}
CONCURRENCY=${CONCURRENCY:-4}
WARMUP_BROADCASTS=${WARMUP_BROADCASTS:-500}
ROUNDS=${ROUNDS:-5}
LARGE_PADDING=${LARGE_PADDING:-7000}
LARGE_CLIENTS=${LARGE_CLIENTS:-1000}
LARGE_ROUNDS=${LARGE_ROUNDS:-3}
LARGE_SERVERS=${LARGE_SERVERS:-"tutti tutti-tomcat-buffers baseline"}
IDLE_CLIENTS=${IDLE_CLIENTS:-2000}
HEAP=${HEAP:-1g}
PORT=${PORT:-18080}
SHOOTOUT_SERVERS=${SHOOTOUT_SERVERS:-"tutti baseline"}
MEMORY_VARIANTS=${MEMORY_VARIANTS:-"tutti baseline tutti-tomcat-buffers baseline-small-buffers"}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc"}
NICE=${NICE:-0}
SERVER_JVM=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -XX:NativeMemoryTracking=summary ${SERVER_JVM_EXTRA:-})
LOAD_JVM=(-Xms512m -Xmx512m -XX:+UseSerialGC ${LOAD_JVM_EXTRA:-})
OUT=target/shootout-$(date +%Y%m%d-%H%M%S)
# The run uses copies, so that a build during the run cannot change the code under test.
JAR=$OUT/tutti-benchmarks.jar
CLASSES=$OUT/classes
SERVER_PID=

case "$MODE" in
	default | all | shootout | large | memory | jmh) ;;
	*) echo "Usage: $0 [shootout|large|memory|jmh|all]" >&2; exit 2 ;;
esac

# Each client is a file descriptor on both sides: 3,000 clients need more than the usual 1,024.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

stop_server() {
	if [[ -n "$SERVER_PID" ]]; then
		kill "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 60); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.5
		done
		kill -9 "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=
	fi
}
trap stop_server EXIT

# start_server LOG_NAME SERVER PORT [JVM_OPTION...] [-- SPRING_ARGUMENT...]
start_server() {
	local name=$1 server=$2 port=$3
	shift 3
	local jvm=() spring=()
	while [[ $# -gt 0 && "$1" != "--" ]]; do jvm+=("$1"); shift; done
	[[ $# -gt 0 ]] && shift
	spring=("$@")
	nice -n "$NICE" taskset -c 0 java "${SERVER_JVM[@]}" ${jvm[@]+"${jvm[@]}"} -jar "$JAR" --server="$server" --server.port="$port" \
		${spring[@]+"${spring[@]}"} >"$OUT/$name-server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 240); do
		if grep -q "Started ShootoutServer" "$OUT/$name-server.log"; then
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			break
		fi
		sleep 0.5
	done
	echo "Server $name did not start; see $OUT/$name-server.log" >&2
	tail -20 "$OUT/$name-server.log" >&2
	exit 1
}

# start_variant VARIANT PHASE PORT: the servers and container settings that can be compared
start_variant() {
	local variant=$1 phase=$2 port=$3
	case "$variant" in
		tutti | baseline)
			start_server "$variant-$phase" "$variant" "$port" ;;
		tutti-tomcat-buffers)
			start_server "$variant-$phase" tutti "$port" -- --tutti.tomcat.frame-buffer-size=8KB \
				--tutti.tomcat.message-buffer-size=8KB --tutti.tomcat.socket-buffer-size=8KB ;;
		tutti-frame-*)
			start_server "$variant-$phase" tutti "$port" -- --tutti.tomcat.frame-buffer-size="${variant#tutti-frame-}" ;;
		baseline-small-buffers)
			start_server "$variant-$phase" baseline "$port" -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=1024 -- \
				--shootout.message-buffer-size=1KB --shootout.socket-buffer-size=2KB ;;
		*)
			echo "Unknown server variant $variant" >&2
			exit 2 ;;
	esac
}

load() {
	timeout 1200 nice -n "$NICE" taskset -c 1 java "${LOAD_JVM[@]}" -cp "$CLASSES" dev.tutti.benchmarks.load.LoadGenerator "$@"
}

# field KEY LINE: the value of KEY=value in a RESULT or MEMORY line
field() {
	tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"
}

shootout() {
	local port=$PORT round server
	for round in $(seq "$ROUNDS"); do
		# shellcheck disable=SC2086
		for server in $(round_order "$round" $SHOOTOUT_SERVERS); do
			echo "== round $round of $ROUNDS, $server: broadcast steps $STEPS ($(uptime | sed 's/.*load/load/'))"
			start_variant "$server" "shootout-$round" "$port"
			load --port="$port" --label="$server" --pid="$SERVER_PID" --steps="$STEPS" --broadcasts="$BROADCASTS" \
				--concurrency="$CONCURRENCY" --warmup-broadcasts="$WARMUP_BROADCASTS" | tee "$OUT/$server-shootout-$round.txt"
			stop_server
			port=$((port + 1))
		done
	done
	shootout_table
}

# round_order ROUND SERVER...: the servers, reversed in even rounds, so that a machine that gets
# faster or slower during the run favours none of them
round_order() {
	local round=$1
	shift
	if ((round % 2 == 1)); then
		echo "$@"
	else
		printf '%s\n' "$@" | tac | tr '\n' ' '
	fi
}

# collect_results KIND ROUNDS SERVER...: one line per round, server and step of the runs of that
# kind, with the RESULT fields the tables show, in this order
collect_results() {
	local kind=$1 rounds=$2 round server line
	shift 2
	for round in $(seq "$rounds"); do
		for server in "$@"; do
			grep '^RESULT' "$OUT/$server-$kind-$round.txt" | while read -r line; do
				echo "$round $server $(for key in clients p50_ms p95_ms p99_ms max_ms msgs_per_s missing extra \
					server_cpu_us_per_msg server_cpu_pct server_sys_pct server_ctx_switches_per_msg \
					server_writes_per_msg; do field "$key" "$line"; done | tr '\n' ' ')"
			done
		done
	done
}

shootout_table() {
	# shellcheck disable=SC2086
	collect_results shootout "$ROUNDS" $SHOOTOUT_SERVERS >"$OUT/results.txt"
	echo
	echo "Broadcast round trip (ms), delivered messages per second, missing/extra, server CPU per delivered message"
	results_table <"$OUT/results.txt"
	echo
	echo "Median of each column over the $ROUNDS rounds"
	median_lines <"$OUT/results.txt" | results_table
	[[ " $SHOOTOUT_SERVERS " == *" tutti "* && " $SHOOTOUT_SERVERS " == *" baseline "* ]] || return 0
	# Ratios of Tutti to the baseline, per round and step: round, "ratio", clients, p50, p95,
	# msgs/s, cpu.
	awk '$2 == "tutti" { t[$1 " " $3] = $0 } $2 == "baseline" { b[$1 " " $3] = $0 }
		function r(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
		END {
			for (k in t) if (k in b) {
				split(t[k], x); split(b[k], y)
				print x[1], "ratio", x[3], r(x[4], y[4]), r(x[5], y[5]), r(x[8], y[8]), r(x[11], y[11])
			}
		}' "$OUT/results.txt" | sort -k1,1n -k3,3n >"$OUT/ratios.txt"
	echo
	echo "Ratios tutti / baseline in each round (lower is better, except msgs/s)"
	printf '%5s %7s %8s %8s %8s %10s\n' round clients p50 p95 msgs/s cpu/msg
	awk '{ printf "%5s %7s %8s %8s %8s %10s\n", $1, $3, $4, $5, $6, $7 }' "$OUT/ratios.txt"
	echo
	echo "Median ratio over the $ROUNDS rounds"
	printf '%7s %8s %8s %8s %10s\n' clients p50 p95 msgs/s cpu/msg
	median_lines <"$OUT/ratios.txt" | awk '{ printf "%7s %8.2f %8.2f %8.2f %10.2f\n", $3, $4, $5, $6, $7 }'
}

# results_table: print the results.txt lines on standard input as a table
results_table() {
	printf '%5s %-20s %7s %8s %8s %8s %8s %9s %8s %6s %10s %6s %6s %10s %10s\n' round server clients p50 p95 p99 \
		max msgs/s missing extra 'cpu µs/msg' 'cpu %' 'sys %' 'ctxsw/msg' 'writes/msg'
	awk '{ printf "%5s %-20s %7s %8s %8s %8s %8s %9.0f %8s %6s %10s %6s %6s %10s %10s\n", $1, $2, $3, $4, $5, $6, $7,
		$8, $9, $10, $11, $12, $13, $14, $15 }'
}

# median_lines: for lines "ROUND SERVER KEY VALUE...", one line per SERVER and KEY holding the
# median of each VALUE column over the rounds, in the order the keys first appear
median_lines() {
	awk '{ k = $2 " " $3; if (!(k in n)) order[++keys] = k; n[k]++; for (i = 4; i <= NF; i++) v[k, i, n[k]] = $i
			width[k] = NF }
		END {
			for (j = 1; j <= keys; j++) {
				k = order[j]; line = "- " k
				for (i = 4; i <= width[k]; i++) {
					m = n[k]; for (a = 1; a <= m; a++) s[a] = v[k, i, a]
					for (a = 2; a <= m; a++) for (b = a; b > 1 && s[b - 1] + 0 > s[b] + 0; b--) {
						t = s[b]; s[b] = s[b - 1]; s[b - 1] = t
					}
					line = line " " ((m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2)
				}
				print line
			}
		}'
}

large() {
	local port=$((PORT + 20)) round server
	for round in $(seq "$LARGE_ROUNDS"); do
		# shellcheck disable=SC2086
		for server in $(round_order "$round" $LARGE_SERVERS); do
			echo "== large messages, round $round of $LARGE_ROUNDS, $server: $LARGE_CLIENTS clients, payloads padded" \
				"by $LARGE_PADDING bytes ($(uptime | sed 's/.*load/load/'))"
			start_variant "$server" "large-$round" "$port"
			load --port="$port" --label="$server" --pid="$SERVER_PID" --steps="$LARGE_CLIENTS" --broadcasts="$BROADCASTS" \
				--concurrency="$CONCURRENCY" --warmup-broadcasts="$WARMUP_BROADCASTS" \
				--payload-padding="$LARGE_PADDING" | tee "$OUT/$server-large-$round.txt"
			stop_server
			port=$((port + 1))
		done
	done
	# shellcheck disable=SC2086
	collect_results large "$LARGE_ROUNDS" $LARGE_SERVERS >"$OUT/large-results.txt"
	echo
	echo "Broadcasts of about $((LARGE_PADDING + 60)) bytes to $LARGE_CLIENTS clients"
	results_table <"$OUT/large-results.txt"
	echo
	echo "Median of each column over the $LARGE_ROUNDS rounds"
	median_lines <"$OUT/large-results.txt" | results_table
}

memory() {
	local port=$((PORT + 10))
	for variant in $MEMORY_VARIANTS; do
		echo "== $variant: $IDLE_CLIENTS idle connections ($(uptime | sed 's/.*load/load/'))"
		start_variant "$variant" memory "$port"
		load --mode=idle --port="$port" --label="$variant" --pid="$SERVER_PID" --clients="$IDLE_CLIENTS" |
			tee "$OUT/$variant-memory.txt"
		stop_server
		port=$((port + 1))
	done
	echo
	echo "Server memory per idle connection (heap used after a full GC + native committed, KiB)"
	printf '%-25s %8s %10s %10s %10s\n' server clients heap native total
	for variant in $MEMORY_VARIANTS; do
		line=$(grep '^MEMORY' "$OUT/$variant-memory.txt")
		printf '%-25s %8s %10s %10s %10s\n' "$variant" "$(field clients "$line")" "$(field heap_per_conn_kb "$line")" \
			"$(field native_per_conn_kb "$line")" "$(field per_conn_kb "$line")"
	done
}

jmh() {
	echo "== JMH ($(uptime | sed 's/.*load/load/'))"
	# shellcheck disable=SC2086
	nice -n "$NICE" taskset -c 1 java -cp "$CLASSES:$(cat "$OUT/classpath.txt")" org.openjdk.jmh.Main $JMH_ARGS \
		-rf csv -rff "$OUT/jmh.csv" 'dev.tutti.benchmarks.jmh.*' | tee "$OUT/jmh.txt"
	echo
	awk -F, '{ gsub(/["\r]/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 ~ /BroadcastBenchmark.broadcast$/ { t[$col["Param: sessions"]] = $5 }
		$1 ~ /BroadcastBenchmark.broadcast:gc.alloc.rate.norm$/ { a[$col["Param: sessions"]] = $5 }
		$1 ~ /RoomBenchmark.broadcastToRoom$/ { r[$col["Param: members"]] = $5 }
		$1 ~ /RoomBenchmark.joinAndLeave$/ { j[$col["Param: members"]] = $5 }
		END {
			if (t[10] != "" && t[10000] != "")
				printf "Broadcast: %.1f ns per recipient at 10 sessions, %.1f ns at 10,000; one more recipient costs %.1f ns\n", t[10] / 10, t[10000] / 10000, (t[10000] - t[10]) / 9990
			if (a[10] != "" && a[10000] != "")
				printf "Allocation per broadcast: %.0f B at 10 sessions, %.0f B at 10,000\n", a[10], a[10000]
			if (r[10] != "" && r[1000] != "")
				printf "Room broadcast in a hub of 10,000 sessions: %.1f ns per member in a room of 10, %.1f ns in a room of 1,000\n", r[10] / 10, r[1000] / 1000
			if (j[10] != "")
				printf "Joining and leaving a room: %.0f ns\n", j[10]
		}' \
		"$OUT/jmh.csv"
}

mkdir -p "$OUT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	(cd .. && ./mvnw -q -B -pl benchmarks -am package -DskipTests -Dspring-javaformat.skip=true)
fi
cp target/tutti-benchmarks.jar target/classpath.txt "$OUT/"
cp -r target/classes "$CLASSES"
echo "Results in $OUT; $(nproc) CPUs; $(uptime)"
case "$MODE" in
	default) shootout; memory ;;
	shootout) shootout ;;
	large) large ;;
	memory) memory ;;
	jmh) jmh ;;
	all) shootout; large; memory; jmh ;;
esac
echo "Done: $(uptime)"
