#!/usr/bin/env bash
# Runs the websocket-shootout comparison of the Tutti server and the plain Spring WebSocket
# baseline on this machine, and the JMH micro-benchmarks of the hub.
#
#   ./run.sh            broadcast steps, then idle memory, for both servers; prints a table
#   ./run.sh shootout   broadcast steps only
#   ./run.sh memory     idle memory only
#   ./run.sh jmh        JMH micro-benchmarks only (short settings)
#   ./run.sh all        all of the above
#
# Each server runs pinned to CPU 0, the load generator to CPU 1; only 127.0.0.1 is used.
# Settings (environment): STEPS (1000,2000,3000), BROADCASTS (100), CONCURRENCY (4),
# WARMUP_BROADCASTS (500), IDLE_CLIENTS (2000), HEAP (1g), PORT (18080), SKIP_BUILD (0),
# SHOOTOUT_SERVERS ("tutti baseline"), MEMORY_VARIANTS ("tutti baseline tutti-tomcat-buffers
# baseline-small-buffers"), JMH_ARGS, NICE (0; a negative value favours the benchmark on a shared
# machine). Besides tutti and baseline, a server variant may be tutti-tomcat-buffers (Tutti with
# Tomcat's 8 KiB per-connection buffers instead of its own defaults) or baseline-small-buffers
# (the baseline with the buffer sizes Tutti sets by default).
set -euo pipefail

cd "$(dirname "$0")"
MODE=${1:-default}
STEPS=${STEPS:-1000,2000,3000}
BROADCASTS=${BROADCASTS:-100}
CONCURRENCY=${CONCURRENCY:-4}
WARMUP_BROADCASTS=${WARMUP_BROADCASTS:-500}
IDLE_CLIENTS=${IDLE_CLIENTS:-2000}
HEAP=${HEAP:-1g}
PORT=${PORT:-18080}
SHOOTOUT_SERVERS=${SHOOTOUT_SERVERS:-"tutti baseline"}
MEMORY_VARIANTS=${MEMORY_VARIANTS:-"tutti baseline tutti-tomcat-buffers baseline-small-buffers"}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc"}
NICE=${NICE:-0}
SERVER_JVM=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -XX:NativeMemoryTracking=summary)
LOAD_JVM=(-Xms512m -Xmx512m -XX:+UseSerialGC)
OUT=target/shootout-$(date +%Y%m%d-%H%M%S)
# The run uses copies, so that a build during the run cannot change the code under test.
JAR=$OUT/tutti-benchmarks.jar
CLASSES=$OUT/classes
SERVER_PID=

case "$MODE" in
	default | all | shootout | memory | jmh) ;;
	*) echo "Usage: $0 [shootout|memory|jmh|all]" >&2; exit 2 ;;
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
	local port=$PORT
	for server in $SHOOTOUT_SERVERS; do
		echo "== $server: broadcast steps $STEPS ($(uptime | sed 's/.*load/load/'))"
		start_variant "$server" shootout "$port"
		load --port="$port" --label="$server" --pid="$SERVER_PID" --steps="$STEPS" --broadcasts="$BROADCASTS" \
			--concurrency="$CONCURRENCY" --warmup-broadcasts="$WARMUP_BROADCASTS" | tee "$OUT/$server-shootout.txt"
		stop_server
		port=$((port + 1))
	done
	shootout_table
}

shootout_table() {
	echo
	echo "Broadcast round trip (ms), delivered messages per second, missing/extra, server CPU per delivered message"
	printf '%-16s %7s %8s %8s %8s %8s %9s %8s %6s %10s %6s %6s %10s %10s\n' server clients p50 p95 p99 max msgs/s \
		missing extra 'cpu µs/msg' 'cpu %' 'sys %' 'ctxsw/msg' 'writes/msg'
	for server in $SHOOTOUT_SERVERS; do
		grep '^RESULT' "$OUT/$server-shootout.txt" | while read -r line; do
			printf '%-16s %7s %8s %8s %8s %8s %9s %8s %6s %10s %6s %6s %10s %10s\n' "$server" "$(field clients "$line")" \
				"$(field p50_ms "$line")" "$(field p95_ms "$line")" "$(field p99_ms "$line")" \
				"$(field max_ms "$line")" "$(field msgs_per_s "$line")" "$(field missing "$line")" \
				"$(field extra "$line")" "$(field server_cpu_us_per_msg "$line")" "$(field server_cpu_pct "$line")" \
				"$(field server_sys_pct "$line")" "$(field server_ctx_switches_per_msg "$line")" \
				"$(field server_writes_per_msg "$line")"
		done
	done
	[[ -f "$OUT/tutti-shootout.txt" && -f "$OUT/baseline-shootout.txt" ]] || return 0
	echo
	echo "Ratios tutti / baseline (lower is better, except msgs/s)"
	printf '%7s %8s %8s %8s %10s\n' clients 'p50' 'p95' 'msgs/s' 'cpu/msg'
	paste -d '\n' <(grep '^RESULT' "$OUT/tutti-shootout.txt") <(grep '^RESULT' "$OUT/baseline-shootout.txt") |
		while read -r tutti && read -r baseline; do
			awk -v c="$(field clients "$tutti")" \
				-v p50t="$(field p50_ms "$tutti")" -v p50b="$(field p50_ms "$baseline")" \
				-v p95t="$(field p95_ms "$tutti")" -v p95b="$(field p95_ms "$baseline")" \
				-v mt="$(field msgs_per_s "$tutti")" -v mb="$(field msgs_per_s "$baseline")" \
				-v ct="$(field server_cpu_us_per_msg "$tutti")" -v cb="$(field server_cpu_us_per_msg "$baseline")" \
				'function r(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
				BEGIN { printf "%7s %8s %8s %8s %10s\n", c, r(p50t, p50b), r(p95t, p95b), r(mt, mb), r(ct, cb) }'
		done
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
	memory) memory ;;
	jmh) jmh ;;
	all) shootout; memory; jmh ;;
esac
echo "Done: $(uptime)"
