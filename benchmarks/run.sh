#!/usr/bin/env bash
# Runs the websocket-shootout comparison of the Tutti server and the plain Spring WebSocket
# baseline on this machine, and the JMH micro-benchmarks of the hub.
#
#   ./run.sh            broadcast steps, then idle memory, for both servers; prints a table
#   ./run.sh shootout   broadcast steps only
#   ./run.sh large      broadcasts of messages of several sizes (LARGE_SIZES): Tutti, the
#                       baseline; frames and writes per message
#   ./run.sh memory     idle memory only, of several container settings (MEMORY_VARIANTS)
#   ./run.sh churn      connection churn: server CPU per connection, handshake to close
#   ./run.sh storm      reconnect storm: STORM_CLIENTS connecting at once
#   ./run.sh idle       idle memory at IDLE_CONNECTIONS, without and with a warm-up round
#   ./run.sh idle-large idle memory and opening time of about 20,000 connections
#   ./run.sh slow-consumer  broadcasts to SLOW_CLIENTS clients with and without one that has
#                       stopped reading (Tutti only), and how the server ended that one
#   ./run.sh connection-cost  what a warm connection costs the Tutti server, by whose code spent it:
#                       every allocation recorded, and CPU sampled (needs gcc and jcmd)
#   ./run.sh churn-heap CHURN_HEAP_CONNECTIONS connections opened and closed, a third abruptly
#                       (TCP reset): sessions and room entries left, heap before and after
#   ./run.sh dead-peer  time to notice silent and reset peers (Tutti only)
#   ./run.sh cluster    three Tutti servers joined by the Redis backplane (a redis-server of
#                       the run's own): added latency of a cross-node delivery over a local
#                       one, Redis publishes per broadcast, delivered messages per second
#                       against one server alone
#   ./run.sh jmh        JMH micro-benchmarks only (short settings)
#   ./run.sh all        all of the above
#
# Each server runs pinned to CPU 0, the load generator to CPU 1; only loopback addresses
# are used (127.0.0.1, and in the connection modes client sockets bound to 127.0.0.2 and on).
# Settings (environment): STEPS (1000,2000,3000), BROADCASTS (100), CONCURRENCY (4),
# WARMUP_BROADCASTS (500), ROUNDS (5 shootout rounds, each starting both servers afresh, in
# alternating order), LARGE_SIZES ("60 1024 8192 65536" bytes per broadcast message; 60 means
# unpadded messages, about 65 bytes), LARGE_CLIENTS (1000), LARGE_ROUNDS (3), LARGE_SERVERS
# ("tutti baseline"), IDLE_CLIENTS (2000, memory mode), HEAP (1g), SERVER_JVM_EXTRA and
# LOAD_JVM_EXTRA (more JVM options, for example -Xlog:gc:file=gc.log), SERVER_ARGS_EXTRA
# (more Spring arguments for every server, for example --server.tomcat.accept-count=1000),
# CLUSTER_CLIENTS (1000), CLUSTER_RATE (1000 broadcasts per second, from clients of every
# server in turn), CLUSTER_SECONDS (10), CLUSTER_PORT (19680: servers on 19680-19683, Redis on
# 19689), CLUSTER_HEAP (512m per server),
# PORT (18080), SKIP_BUILD (0), SHOOTOUT_SERVERS ("tutti baseline"), MEMORY_VARIANTS ("tutti
# baseline tutti-tomcat-buffers baseline-small-buffers"), JMH_ARGS, NICE (0; a negative value
# favours the benchmark on a shared machine). Besides tutti and baseline, a server variant may
# be tutti-tomcat-buffers (Tutti with Tomcat's 8 KiB per-connection buffers instead of its own
# defaults) or baseline-small-buffers (the baseline with the buffer sizes Tutti sets by
# default); tutti-frame-SIZE (for example tutti-frame-8KB) is Tutti with that frame buffer size
# and its other defaults; tutti-mvc is Tutti served through Spring MVC's DispatcherServlet and
# Spring's WebSocket session (tutti.direct-upgrade=false); tutti-standard is Tutti on the
# container's Jakarta WebSocket implementation (tutti.transport=standard); tutti-threads-N is Tutti with Tomcat's
# worker pool limited to N threads (server.tomcat.threads.max, min-spare at most 10);
# tutti-warmup-N is Tutti that opens, echoes on and closes N connections to its own hub path
# as it starts, 200 at a time (shootout.warm-up-connections), measured only once that is done
# (the server log and the churn output say how long it took);
# tutti-small-buffers is Tutti with 1 KiB socket buffers and 512-byte message buffers.
# Connection modes: SOURCE_ADDRESSES (8 loopback source addresses for the clients),
# MAX_CONNECTIONS (100000), CHURN_BATCH (200 connections opened at once), CHURN_COLD_CYCLES (5),
# CHURN_WARMUP (5000 connections), CHURN_CYCLES (25), CHURN_ABRUPT (0; the share of
# connections closed without a close frame, e.g. 0.33), CHURN_ROUNDS (3), CHURN_ACCEPT_COUNT
# (1000), STORM_CLIENTS (10000), STORM_TIMEOUT (60 s), STORM_HEAP (2g), STORM_ROUNDS (3),
# STORM_ACCEPT_COUNTS ("100 4096": the storm runs with each of these accept queues),
# STORM_DEFAULT_LIMIT ("baseline": servers also stormed once with Tomcat's default
# max-connections; "" for none),
# SLOW_CLIENTS (1000), SLOW_BROADCASTS (2000 per step), SLOW_ROUNDS (3), SLOW_CLOSE_WAIT (15 s),
# CHURN_HEAP_CONNECTIONS (10000), CHURN_HEAP_WARMUP (2000), CHURN_HEAP_ABRUPT (0.33),
# CHURN_HEAP_ROOMS (10 rooms every session joins one of), CHURN_HEAP_ROUNDS (3),
# DEAD_PEERS (100 of each kind), DEAD_PING_PERIOD (1s), DEAD_PONG_TIMEOUT (2s), DEAD_ROUNDS (3),
# IDLE_CONNECTIONS (5000), IDLE_ROUNDS (3), IDLE_LARGE_CLIENTS (20000, lowered to fit the
# open-file limit), IDLE_LARGE_HEAP (4g), IDLE_LARGE_ROUNDS (3), CONNECTION_SERVERS ("tutti
# baseline").
#
# Tomcat accepts at most server.tomcat.max-connections (8192 by default) connections, and
# Tutti has no property of its own for it yet (tutti.tomcat.max-connections, default 100000, is
# on its way). Until it lands, the storm, idle and idle-large modes pass
# --server.tomcat.max-connections=$MAX_CONNECTIONS to both servers, so that both are compared
# with the same limit; the storm mode also runs the servers in STORM_DEFAULT_LIMIT once with
# Tomcat's default limit, to show what a storm larger than it does.
set -euo pipefail

cd "$(dirname "$0")"
MODE=${1:-default}
STEPS=${STEPS:-1000,2000,3000}
BROADCASTS=${BROADCASTS:-100}
CONCURRENCY=${CONCURRENCY:-4}
WARMUP_BROADCASTS=${WARMUP_BROADCASTS:-500}
ROUNDS=${ROUNDS:-5}
LARGE_SIZES=${LARGE_SIZES:-"60 1024 8192 65536"}
LARGE_CLIENTS=${LARGE_CLIENTS:-1000}
LARGE_ROUNDS=${LARGE_ROUNDS:-3}
LARGE_SERVERS=${LARGE_SERVERS:-"tutti baseline"}
IDLE_CLIENTS=${IDLE_CLIENTS:-2000}
HEAP=${HEAP:-1g}
PORT=${PORT:-18080}
SHOOTOUT_SERVERS=${SHOOTOUT_SERVERS:-"tutti baseline"}
MEMORY_VARIANTS=${MEMORY_VARIANTS:-"tutti baseline tutti-tomcat-buffers baseline-small-buffers"}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc"}
NICE=${NICE:-0}
SOURCE_ADDRESSES=${SOURCE_ADDRESSES:-8}
MAX_CONNECTIONS=${MAX_CONNECTIONS:-100000}
CONNECTION_SERVERS=${CONNECTION_SERVERS:-"tutti baseline"}
CHURN_BATCH=${CHURN_BATCH:-200}
CHURN_COLD_CYCLES=${CHURN_COLD_CYCLES:-5}
CHURN_WARMUP=${CHURN_WARMUP:-5000}
CHURN_CYCLES=${CHURN_CYCLES:-25}
CHURN_ABRUPT=${CHURN_ABRUPT:-0}
CHURN_ROUNDS=${CHURN_ROUNDS:-3}
CHURN_ACCEPT_COUNT=${CHURN_ACCEPT_COUNT:-1000}
COST_WARMUP=${COST_WARMUP:-12000}
COST_WARMUP_ROUNDS=${COST_WARMUP_ROUNDS:-12}
COST_JIT_QUIET=${COST_JIT_QUIET:-20}
COST_ALLOC_CYCLES=${COST_ALLOC_CYCLES:-25}
COST_CPU_CYCLES=${COST_CPU_CYCLES:-250}
COST_CPU_INTERVAL_US=${COST_CPU_INTERVAL_US:-200}
ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.2}
COST_BROWSER_HEADERS=${COST_BROWSER_HEADERS:-false}
CLUSTER_CLIENTS=${CLUSTER_CLIENTS:-1000}
CLUSTER_RATE=${CLUSTER_RATE:-1000}
CLUSTER_SECONDS=${CLUSTER_SECONDS:-10}
CLUSTER_PORT=${CLUSTER_PORT:-19680}
CLUSTER_HEAP=${CLUSTER_HEAP:-512m}
STORM_CLIENTS=${STORM_CLIENTS:-10000}
STORM_TIMEOUT=${STORM_TIMEOUT:-60}
STORM_HEAP=${STORM_HEAP:-2g}
STORM_ROUNDS=${STORM_ROUNDS:-3}
STORM_DEFAULT_LIMIT=${STORM_DEFAULT_LIMIT-baseline}
STORM_ACCEPT_COUNTS=${STORM_ACCEPT_COUNTS:-"100 4096"}
SLOW_CLIENTS=${SLOW_CLIENTS:-1000}
SLOW_BROADCASTS=${SLOW_BROADCASTS:-2000}
SLOW_ROUNDS=${SLOW_ROUNDS:-3}
SLOW_CLOSE_WAIT=${SLOW_CLOSE_WAIT:-15}
CHURN_HEAP_CONNECTIONS=${CHURN_HEAP_CONNECTIONS:-10000}
CHURN_HEAP_WARMUP=${CHURN_HEAP_WARMUP:-2000}
CHURN_HEAP_ABRUPT=${CHURN_HEAP_ABRUPT:-0.33}
CHURN_HEAP_ROOMS=${CHURN_HEAP_ROOMS:-10}
CHURN_HEAP_ROUNDS=${CHURN_HEAP_ROUNDS:-3}
DEAD_PEERS=${DEAD_PEERS:-100}
DEAD_PING_PERIOD=${DEAD_PING_PERIOD:-1s}
DEAD_PONG_TIMEOUT=${DEAD_PONG_TIMEOUT:-2s}
DEAD_ROUNDS=${DEAD_ROUNDS:-3}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-5000}
IDLE_ROUNDS=${IDLE_ROUNDS:-3}
IDLE_LARGE_CLIENTS=${IDLE_LARGE_CLIENTS:-20000}
IDLE_LARGE_HEAP=${IDLE_LARGE_HEAP:-4g}
IDLE_LARGE_ROUNDS=${IDLE_LARGE_ROUNDS:-3}
read -r -a SERVER_ARGS <<<"${SERVER_ARGS_EXTRA:-}"
SERVER_JVM=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -XX:NativeMemoryTracking=summary ${SERVER_JVM_EXTRA:-})
LOAD_JVM=(-Xms512m -Xmx512m -XX:+UseSerialGC ${LOAD_JVM_EXTRA:-})
OUT=target/shootout-$(date +%Y%m%d-%H%M%S)
# The run uses copies, so that a build during the run cannot change the code under test.
JAR=$OUT/tutti-benchmarks.jar
CLASSES=$OUT/classes
SERVER_PID=
# More JVM options and Spring arguments for the servers a mode starts
EXTRA_JVM=()
EXTRA_SPRING=()

case "$MODE" in
	default | all | shootout | large | memory | churn | connection-cost | storm | idle | idle-large | slow-consumer | churn-heap | dead-peer | cluster | jmh) ;;
	*) echo "Usage: $0 [shootout|large|memory|churn|connection-cost|storm|idle|idle-large|slow-consumer|churn-heap|dead-peer|cluster|jmh|all]" >&2; exit 2 ;;
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
trap 'stop_server; stop_cluster' EXIT

# The prefix that runs a command with the NICE value. Where the kernel groups processes by
# session for scheduling (sched_autogroup_enabled), a nice value counts only against processes of
# the same session, not against another user's build: with NICE set, a benchmark process runs in a
# session of its own, whose group gets the NICE value too. Every command of the prefix replaces
# itself with the next (exec), so a background command's $! is the java process.
PRIORITY=()
if [[ "$NICE" != 0 ]]; then
	# shellcheck disable=SC2016
	PRIORITY=(setsid bash -c 'echo "$0" >/proc/self/autogroup 2>/dev/null; exec nice -n "$0" "$@"' "$NICE")
fi

# start_server LOG_NAME SERVER PORT [JVM_OPTION...] [-- SPRING_ARGUMENT...]
start_server() {
	local name=$1 server=$2 port=$3
	shift 3
	local jvm=() spring=()
	while [[ $# -gt 0 && "$1" != "--" ]]; do jvm+=("$1"); shift; done
	[[ $# -gt 0 ]] && shift
	spring=("$@")
	${PRIORITY[@]+"${PRIORITY[@]}"} taskset -c 0 java "${SERVER_JVM[@]}" ${EXTRA_JVM[@]+"${EXTRA_JVM[@]}"} ${jvm[@]+"${jvm[@]}"} \
		-jar "$JAR" --server="$server" --server.port="$port" ${spring[@]+"${spring[@]}"} \
		${EXTRA_SPRING[@]+"${EXTRA_SPRING[@]}"} ${SERVER_ARGS[@]+"${SERVER_ARGS[@]}"} >"$OUT/$name-server.log" 2>&1 &
	SERVER_PID=$!
	await_log "$name" "Started ShootoutServer" 120 >/dev/null
}

# await_log LOG_NAME TEXT SECONDS: wait until the server's log has a line with TEXT, print
# that line; exit if the server stops or SECONDS pass first
await_log() {
	local name=$1 text=$2 seconds=$3
	for _ in $(seq $((seconds * 2))); do
		if grep -q "$text" "$OUT/$name-server.log"; then
			grep "$text" "$OUT/$name-server.log" | sed 's/.*\] [^ ]* *: //'
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			break
		fi
		sleep 0.5
	done
	echo "Server $name did not log '$text'; see $OUT/$name-server.log" >&2
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
		tutti-mvc)
			start_server "$variant-$phase" tutti "$port" -- --tutti.direct-upgrade=false ;;
		tutti-standard)
			start_server "$variant-$phase" tutti "$port" -- --tutti.transport=standard ;;
		tutti-threads-*)
			local threads=${variant#tutti-threads-}
			start_server "$variant-$phase" tutti "$port" -- --server.tomcat.threads.max="$threads" \
				--server.tomcat.threads.min-spare="$((threads < 10 ? threads : 10))" ;;
		tutti-warmup-*)
			start_server "$variant-$phase" tutti "$port" -- --shootout.warm-up-connections="${variant#tutti-warmup-}"
			await_log "$variant-$phase" "Connection warm-up: " 600 ;;
		tutti-small-buffers)
			start_server "$variant-$phase" tutti "$port" -- --tutti.tomcat.socket-buffer-size=1KB \
				--tutti.tomcat.message-buffer-size=512B ;;
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
	timeout 1200 ${PRIORITY[@]+"${PRIORITY[@]}"} taskset -c 1 java "${LOAD_JVM[@]}" -cp "$CLASSES" dev.tutti.benchmarks.load.LoadGenerator "$@"
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

# collect_lines PREFIX KIND ROUNDS "SERVER..." KEY...: one line per round, server and PREFIX line of
# the runs of that kind ($OUT/SERVER-KIND-ROUND.txt): "ROUND SERVER VALUE...", the values of
# the KEYs in that order
collect_lines() {
	local prefix=$1 kind=$2 rounds=$3 servers=$4 round server line key
	shift 4
	for round in $(seq "$rounds"); do
		for server in $servers; do
			grep "^$prefix " "$OUT/$server-$kind-$round.txt" | while read -r line; do
				echo "$round $server $(for key in "$@"; do field "$key" "$line"; done | tr '\n' ' ')"
			done
		done
	done
}

# ratio_lines FILE COLUMN...: for lines "ROUND SERVER KEY VALUE..." of tutti and baseline, the
# ratio tutti / baseline of each given column (counted from 1) per round and key:
# "ROUND ratio KEY RATIO..."
ratio_lines() {
	local file=$1
	shift
	awk -v columns="$*" 'BEGIN { n = split(columns, c, " ") }
		$2 == "tutti" { t[$1 " " $3] = $0 } $2 == "baseline" { b[$1 " " $3] = $0 }
		END {
			for (k in t) if (k in b) {
				split(t[k], x); split(b[k], y); line = x[1] " ratio " x[3]
				for (i = 1; i <= n; i++) line = line " " ((y[c[i]] > 0) ? sprintf("%.2f", x[c[i]] / y[c[i]]) : "-")
				print line
			}
		}' "$file" | sort -k1,1n -k3,3n
}

large() {
	local port=$((PORT + 20)) round server size broadcasts warmup
	for round in $(seq "$LARGE_ROUNDS"); do
		for size in $LARGE_SIZES; do
			# Fewer broadcasts for larger messages, so that a step moves about 1 GB at most.
			broadcasts=$(per_bytes 1000000000 "$size" 20 "$BROADCASTS")
			warmup=$(per_bytes 1000000000 "$size" 20 "$WARMUP_BROADCASTS")
			# shellcheck disable=SC2086
			for server in $(round_order "$round" $LARGE_SERVERS); do
				echo "== large messages, round $round of $LARGE_ROUNDS, $server: $LARGE_CLIENTS clients, messages of" \
					"$size bytes, $broadcasts broadcasts after $warmup ($(uptime | sed 's/.*load/load/'))"
				read -r -a EXTRA_SPRING <<<"$(large_server_arguments "$server" "$size")"
				start_variant "$server" "large-$size-$round" "$port"
				EXTRA_SPRING=()
				load --port="$port" --label="$server" --pid="$SERVER_PID" --steps="$LARGE_CLIENTS" --broadcasts="$broadcasts" \
					--concurrency="$CONCURRENCY" --warmup-broadcasts="$warmup" --message-size="$size" |
					tee "$OUT/$server-large-$size-$round.txt"
				stop_server
				port=$((port + 1))
			done
		done
	done
	for size in $LARGE_SIZES; do
		# shellcheck disable=SC2086
		# The size asked for, not the size measured (msg_bytes): unpadded messages vary by a few bytes.
		collect_lines RESULT "large-$size" "$LARGE_ROUNDS" "$LARGE_SERVERS" msg_bytes clients p50_ms p95_ms msgs_per_s \
			server_cpu_us_per_msg server_writes_per_msg frames_per_msg server_cpu_pct missing extra |
			awk -v size="$size" '{ $3 = size; print }'
	done >"$OUT/large-results.txt"
	echo
	echo "Broadcasts to $LARGE_CLIENTS clients by message size (bytes); frames and writes per delivered message"
	large_table <"$OUT/large-results.txt"
	echo
	echo "Median of each column over the $LARGE_ROUNDS rounds"
	median_lines <"$OUT/large-results.txt" | large_table
	ratio_lines "$OUT/large-results.txt" 7 8 9 >"$OUT/large-ratios.txt"
	echo
	echo "Median ratios tutti / baseline over the rounds: msgs/s, CPU per message, writes per message"
	median_lines <"$OUT/large-ratios.txt" | awk '{ printf "%8s bytes %8s %8s %8s\n", $3, $4, $5, $6 }'
}

# per_bytes BUDGET SIZE MIN MAX: how many broadcasts of SIZE bytes to LARGE_CLIENTS clients fit
# in BUDGET bytes, at least MIN and at most MAX
per_bytes() {
	local n=$(($1 / ($2 * LARGE_CLIENTS)))
	((n < $3)) && n=$3
	((n > $4)) && n=$4
	echo "$n"
}

# large_server_arguments SERVER SIZE: what a server needs to accept requests of SIZE bytes. The
# baseline's message buffers (Tomcat's 8 KiB by default, the text buffer in characters) must hold
# a whole request, so they grow to the message size plus 1 KiB; Tutti reassembles partial
# messages up to tutti.max-message-size (64 KiB by default) and needs it raised only beyond that.
large_server_arguments() {
	local server=$1 size=$2
	if [[ "$server" == baseline && $size -gt 7168 ]]; then
		echo "--shootout.message-buffer-size=$((size + 1024))B"
	elif [[ "$server" == tutti* && $size -gt 65536 ]]; then
		echo "--tutti.max-message-size=${size}B"
	fi
}

# large_table: print the large-results.txt lines on standard input as a table
large_table() {
	printf '%5s %-20s %8s %7s %8s %8s %9s %10s %10s %10s %6s %8s\n' round server bytes clients p50 p95 msgs/s \
		'cpu µs/msg' writes/msg frames/msg 'cpu %' miss/ext
	awk '{ printf "%5s %-20s %8s %7s %8s %8s %9.0f %10s %10s %10s %6s %8s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9,
		$10, $11, $12 "/" $13 }'
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
		line=$(grep '^MEMORY .*phase=warm' "$OUT/$variant-memory.txt")
		printf '%-25s %8s %10s %10s %10s\n' "$variant" "$(field clients "$line")" "$(field heap_per_conn_kb "$line")" \
			"$(field native_per_conn_kb "$line")" "$(field per_conn_kb "$line")"
	done
}

# Connection churn: every round starts each server afresh and runs CHURN_COLD_CYCLES cycles of
# CHURN_BATCH connections opened at once and closed (cold), CHURN_WARMUP more connections, a full
# GC, and CHURN_CYCLES cycles (warm). Both servers get an accept queue of CHURN_ACCEPT_COUNT
# (server.tomcat.accept-count, 100 by default): with Tomcat's default, a batch of 200 lost SYNs
# that the clients resent only a second later, so the server sat idle for most of each cycle and
# its background work counted as connections' CPU time.
churn() {
	local port=$((PORT + 100)) round server
	EXTRA_SPRING=(--server.tomcat.accept-count="$CHURN_ACCEPT_COUNT")
	for round in $(seq "$CHURN_ROUNDS"); do
		# shellcheck disable=SC2086
		for server in $(round_order "$round" $CONNECTION_SERVERS); do
			echo "== churn, round $round of $CHURN_ROUNDS, $server: batches of $CHURN_BATCH, $CHURN_COLD_CYCLES cold cycles," \
				"$CHURN_WARMUP warm-up connections, $CHURN_CYCLES warm cycles ($(uptime | sed 's/.*load/load/'))"
			start_variant "$server" "churn-$round" "$port"
			load --mode=churn --port="$port" --label="$server" --pid="$SERVER_PID" --source-addresses="$SOURCE_ADDRESSES" \
				--batch="$CHURN_BATCH" --cold-cycles="$CHURN_COLD_CYCLES" --warmup-connections="$CHURN_WARMUP" \
				--cycles="$CHURN_CYCLES" --abrupt-fraction="$CHURN_ABRUPT" | tee "$OUT/$server-churn-$round.txt"
			stop_server
			port=$((port + 1))
		done
	done
	EXTRA_SPRING=()
	collect_lines CHURN churn "$CHURN_ROUNDS" "$CONNECTION_SERVERS" phase server_cpu_us_per_conn conn_per_cpu_s conn_per_s \
		server_cpu_pct handshake_p50_ms handshake_p99_ms server_writes_per_conn connections failed unclosed listen_drops \
		>"$OUT/churn-results.txt"
	echo
	echo "Connection churn: server CPU per connection, handshake to close (batches of $CHURN_BATCH," \
		"$(awk -v f="$CHURN_ABRUPT" 'BEGIN { printf "%.0f", f * 100 }')% closed abruptly, accept queue" \
		"$CHURN_ACCEPT_COUNT)"
	churn_table <"$OUT/churn-results.txt"
	echo
	echo "Median of each column over the $CHURN_ROUNDS rounds"
	median_lines <"$OUT/churn-results.txt" | churn_table
	# Ratios of every server to the baseline, per round and phase: round, server, phase, CPU per
	# connection, connections per second.
	awk '$2 == "baseline" { b[$1 " " $3] = $0 } { all[NR] = $0 }
		function r(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
		END {
			for (i = 1; i <= NR; i++) {
				split(all[i], x)
				if (x[2] != "baseline" && (x[1] " " x[3]) in b) {
					split(b[x[1] " " x[3]], y); print x[1], x[2] "/" x[3], r(x[4], y[4]), r(x[6], y[6])
				}
			}
		}' "$OUT/churn-results.txt" >"$OUT/churn-ratios.txt"
	echo
	echo "Median ratio to the baseline in the same round: CPU per connection, connections per second"
	printf '%-24s %11s %8s\n' server/phase 'cpu µs/conn' conn/s
	awk '{ print $1, $2, "-", $3, $4 }' "$OUT/churn-ratios.txt" | median_lines |
		awk '{ printf "%-24s %11s %8s\n", $2, $4, $5 }'
	if grep -q "Connection warm-up: " "$OUT"/*-churn-*-server.log 2>/dev/null; then
		echo
		echo "Warm-ups at startup"
		grep "Connection warm-up: " "$OUT"/*-churn-*-server.log | sed 's|^.*/\([^/]*\)-server.log:.*\] [^ ]* *: |\1: |'
	fi
}

# What a warm connection costs the Tutti server, by whose code spent it (Tutti, Spring, Tomcat,
# the JDK, the JVM), each stack going to its innermost frame outside the JDK. Two servers, warmed
# up with connections of churn in batches of CHURN_BATCH, with an accept queue of
# CHURN_ACCEPT_COUNT. The first, warmed up with COST_WARMUP connections, runs with the
# allocation recorder (src/main/c, built here with gcc), which records every allocation during
# COST_ALLOC_CYCLES more cycles. The second is warmed up in rounds of COST_WARMUP connections
# until a round leaves the JIT nearly idle (fewer than COST_JIT_QUIET methods compiled; at most
# COST_WARMUP_ROUNDS rounds): on one CPU the JIT takes far more than one round to compile the
# connection's path, which would otherwise be measured half compiled (jit_compiler_us says how
# much compiling was left while it was sampled). It is then sampled by async-profiler (from
# Maven Central, ASYNC_PROFILER_VERSION) every COST_CPU_INTERVAL_US µs of CPU during
# COST_CPU_CYCLES cycles. Allocation counts are exact; the CPU split is a sample, and scheduled
# tasks (the heartbeat) are reported apart, since they run whether connections come or not. With
# COST_BROWSER_HEADERS=true every handshake carries the headers Chromium sends, an Origin among them.
connection_cost() {
	local tools=$PWD/target/profiling port=$PORT
	profiling_tools "$tools"
	local recorder=$tools/liballocation-recorder.so profiler=$tools/libasyncProfiler.so
	local out
	out=$(cd "$OUT" && pwd)
	EXTRA_SPRING=(--server.tomcat.accept-count="$CHURN_ACCEPT_COUNT")
	echo "== connection-cost: allocations ($(uptime | sed 's/.*load/load/'))"
	EXTRA_JVM=("-agentpath:$recorder=armed")
	start_server tutti-cost-alloc tutti "$port"
	EXTRA_JVM=()
	cost_churn "$port" "$COST_WARMUP" 1 >"$OUT/cost-alloc-warmup.txt"
	agent "$recorder" start
	cost_churn "$port" 0 "$COST_ALLOC_CYCLES" | tee "$OUT/cost-alloc.txt"
	agent "$recorder" "stop=$out/allocations.collapsed"
	stop_server
	port=$((port + 1))
	echo "== connection-cost: CPU ($(uptime | sed 's/.*load/load/'))"
	start_server tutti-cost-cpu tutti "$port"
	cost_warm_up "$port" >"$OUT/cost-cpu-warmup.txt"
	agent "$profiler" "start,event=cpu,interval=${COST_CPU_INTERVAL_US}us"
	cost_churn "$port" 0 "$COST_CPU_CYCLES" | tee "$OUT/cost-cpu.txt"
	agent "$profiler" "stop,file=$out/cpu.collapsed,collapsed"
	stop_server
	EXTRA_SPRING=()
	java -cp "$CLASSES" dev.tutti.benchmarks.profile.ConnectionCost \
		--allocations="$OUT/allocations.collapsed" --alloc-connections="$(churn_connections "$OUT/cost-alloc.txt")" \
		--cpu="$OUT/cpu.collapsed" --cpu-connections="$(churn_connections "$OUT/cost-cpu.txt")" \
		--cpu-interval-us="$COST_CPU_INTERVAL_US" | tee "$OUT/connection-cost.txt"
}

# profiling_tools DIR: build the allocation recorder and fetch async-profiler's agent into DIR
profiling_tools() {
	local dir=$1 java_home arch
	mkdir -p "$dir"
	if [[ ! -f $dir/liballocation-recorder.so || src/main/c/allocation-recorder.c -nt $dir/liballocation-recorder.so ]]; then
		java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
		gcc -O2 -shared -fPIC -Wall -I"$java_home/include" -I"$java_home/include/linux" \
			-o "$dir/liballocation-recorder.so" src/main/c/allocation-recorder.c -lpthread
	fi
	if [[ ! -f $dir/libasyncProfiler.so ]]; then
		arch=linux-x64
		[[ $(uname -m) == aarch64 ]] && arch=linux-arm64
		(cd .. && ./mvnw -q -B -N dependency:copy -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" \
			-DoutputDirectory="$dir")
		(cd "$dir" && jar xf "async-profiler-$ASYNC_PROFILER_VERSION.jar" "$arch/libasyncProfiler.so" &&
			mv "$arch/libasyncProfiler.so" . && rmdir "$arch")
	fi
}

# agent LIBRARY OPTIONS: load a JVMTI agent into the server, or give the loaded one a command
agent() {
	local reply
	reply=$(jcmd "$SERVER_PID" "JVMTI.agent_load $1 \"$2\"")
	if ! grep -q "return code: 0" <<<"$reply"; then
		echo "Loading $1 with '$2' failed: $reply" >&2
		exit 1
	fi
}

# cost_churn PORT WARMUP CYCLES: churn against the server, one cold cycle, WARMUP connections, CYCLES cycles
cost_churn() {
	load --mode=churn --port="$1" --label=tutti --pid="$SERVER_PID" --source-addresses="$SOURCE_ADDRESSES" \
		--batch="$CHURN_BATCH" --cold-cycles=1 --warmup-connections="$2" --cycles="$3" \
		--browser-headers="$COST_BROWSER_HEADERS"
}

# cost_warm_up PORT: churn rounds of COST_WARMUP connections until the JIT is quiet: a round that
# compiled fewer than COST_JIT_QUIET methods, or COST_WARMUP_ROUNDS rounds
cost_warm_up() {
	local round before after
	for ((round = 1; round <= COST_WARMUP_ROUNDS; round++)); do
		before=$(jit_compiles)
		cost_churn "$1" "$COST_WARMUP" 1
		after=$(jit_compiles)
		echo "Warm-up round $round: $((after - before)) methods compiled"
		((after - before < COST_JIT_QUIET)) && return
	done
	echo "The JIT still compiled $((after - before)) methods in the last warm-up round"
}

# jit_compiles: how many compilations the server's JIT has done
jit_compiles() {
	jcmd "$SERVER_PID" PerfCounter.print | awk -F= '$1 == "sun.ci.totalCompiles" { print $2 }'
}

# churn_connections FILE: the connections the CHURN lines of FILE opened, in all
churn_connections() {
	awk '/^CHURN/ { for (i = 1; i <= NF; i++) if (sub(/^connections=/, "", $i)) n += $i } END { print n }' "$1"
}

churn_table() {
	printf '%5s %-18s %5s %11s %11s %8s %6s %8s %8s %10s %7s %6s %8s %8s\n' round server phase 'cpu µs/conn' \
		conn/cpu-s conn/s 'cpu %' 'hs p50' 'hs p99' writes/conn conns failed unclosed 'SYN drops'
	awk '{ printf "%5s %-18s %5s %11s %11s %8s %6s %8s %8s %10s %7s %6s %8s %8s\n", $1, $2, $3, $4, $5, $6, $7, $8,
		$9, $10, $11, $12, $13, $14 }'
}

# Reconnect storm: every round starts each server afresh, and STORM_CLIENTS clients connect at
# once (cold), then close, and connect at once again (warm); all of it once for each accept queue
# size in STORM_ACCEPT_COUNTS (Tomcat's default is 100; the kernel caps it at
# net.core.somaxconn). With a small queue most of a storm's time is the clients resending the
# SYNs the kernel dropped (after 1, 3, 7, 15, 31 s), with a large one it is the server's work.
storm() {
	local port=$((PORT + 200)) round server accept
	local keys=(phase all_open_ms opened failed timed_out conn_p50_ms conn_p99_ms issue_ms server_cpu_us_per_conn
		listen_drops)
	EXTRA_JVM=(-Xms"$STORM_HEAP" -Xmx"$STORM_HEAP")
	for accept in $STORM_ACCEPT_COUNTS; do
		EXTRA_SPRING=(--server.tomcat.max-connections="$MAX_CONNECTIONS" --server.tomcat.accept-count="$accept")
		for round in $(seq "$STORM_ROUNDS"); do
			# shellcheck disable=SC2086
			for server in $(round_order "$round" $CONNECTION_SERVERS); do
				echo "== storm, accept queue $accept, round $round of $STORM_ROUNDS, $server: $STORM_CLIENTS clients at" \
					"once ($(uptime | sed 's/.*load/load/'))"
				start_variant "$server" "storm-$accept-$round" "$port"
				load --mode=storm --port="$port" --label="$server" --pid="$SERVER_PID" \
					--source-addresses="$SOURCE_ADDRESSES" --clients="$STORM_CLIENTS" --timeout="$STORM_TIMEOUT" |
					tee "$OUT/$server-storm-$accept-$round.txt"
				stop_server
				port=$((port + 1))
			done
		done
	done
	EXTRA_SPRING=()
	for server in $STORM_DEFAULT_LIMIT; do
		echo "== storm, $server with Tomcat's default max-connections and accept queue: $STORM_CLIENTS clients at" \
			"once ($(uptime | sed 's/.*load/load/'))"
		start_variant "$server" storm-default-limit "$port"
		load --mode=storm --port="$port" --label="$server" --pid="$SERVER_PID" --source-addresses="$SOURCE_ADDRESSES" \
			--clients="$STORM_CLIENTS" --timeout="$STORM_TIMEOUT" --warm=false | tee "$OUT/$server-storm-default-limit-1.txt"
		stop_server
		port=$((port + 1))
	done
	EXTRA_JVM=()
	for accept in $STORM_ACCEPT_COUNTS; do
		collect_lines STORM "storm-$accept" "$STORM_ROUNDS" "$CONNECTION_SERVERS" "${keys[@]}" \
			>"$OUT/storm-$accept-results.txt"
		echo
		echo "Reconnect storm: $STORM_CLIENTS clients at once, accept queue $accept, $SOURCE_ADDRESSES source" \
			"addresses, max-connections $MAX_CONNECTIONS (all open: ms from the first connect to the last upgrade" \
			"response; -1: not all opened)"
		storm_table <"$OUT/storm-$accept-results.txt"
		echo
		echo "Median of each column over the $STORM_ROUNDS rounds"
		median_lines <"$OUT/storm-$accept-results.txt" | storm_table
	done
	if [[ -n "$STORM_DEFAULT_LIMIT" ]]; then
		echo
		echo "With Tomcat's default max-connections (8192) and accept queue (100), cold only"
		collect_lines STORM storm-default-limit 1 "$STORM_DEFAULT_LIMIT" "${keys[@]}" | storm_table
	fi
}

storm_table() {
	printf '%5s %-10s %5s %11s %7s %6s %9s %8s %8s %8s %11s %9s\n' round server phase 'all open ms' opened failed \
		timed-out 'p50 ms' 'p99 ms' 'issue ms' 'cpu µs/conn' 'SYN drops'
	awk '{ printf "%5s %-10s %5s %11s %7s %6s %9s %8s %8s %8s %11s %9s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12 }'
}

# Idle memory of IDLE_CONNECTIONS connections: every round starts each server afresh, measures
# the connections' memory as the server started (cold), closes them and measures as many again
# (warm, as the memory mode does).
idle() {
	local port=$((PORT + 300)) round server
	EXTRA_SPRING=(--server.tomcat.max-connections="$MAX_CONNECTIONS")
	for round in $(seq "$IDLE_ROUNDS"); do
		# shellcheck disable=SC2086
		for server in $(round_order "$round" $CONNECTION_SERVERS); do
			echo "== idle, round $round of $IDLE_ROUNDS, $server: $IDLE_CONNECTIONS idle connections, cold then warm" \
				"($(uptime | sed 's/.*load/load/'))"
			start_variant "$server" "idle-$round" "$port"
			load --mode=idle --port="$port" --label="$server" --pid="$SERVER_PID" --source-addresses="$SOURCE_ADDRESSES" \
				--clients="$IDLE_CONNECTIONS" | tee "$OUT/$server-idle-$round.txt"
			stop_server
			port=$((port + 1))
		done
	done
	EXTRA_SPRING=()
	collect_lines MEMORY idle "$IDLE_ROUNDS" "$CONNECTION_SERVERS" phase per_conn_kb heap_per_conn_kb native_per_conn_kb \
		clients open_ms open_per_s failed >"$OUT/idle-results.txt"
	echo
	echo "Server memory per idle connection (heap used after a full GC + native committed, KiB), without" \
		"(cold) and with (warm) a warm-up round"
	memory_table <"$OUT/idle-results.txt"
	echo
	echo "Median of each column over the $IDLE_ROUNDS rounds"
	median_lines <"$OUT/idle-results.txt" | memory_table
}

# Idle memory and opening time of IDLE_LARGE_CLIENTS connections on one server (cold: no warm-up
# round), with a larger heap. Both ends hold a file descriptor per connection: the number is
# lowered to fit the open-file limit.
idle_large() {
	local port=$((PORT + 400)) round server clients=$IDLE_LARGE_CLIENTS limit
	limit=$(($(ulimit -n) - 100))
	if ((clients > limit)); then
		echo "The open-file limit is $(ulimit -n) (hard limit $(ulimit -Hn)): $limit connections instead of $clients"
		clients=$limit
	fi
	EXTRA_JVM=(-Xms"$IDLE_LARGE_HEAP" -Xmx"$IDLE_LARGE_HEAP")
	EXTRA_SPRING=(--server.tomcat.max-connections="$MAX_CONNECTIONS")
	for round in $(seq "$IDLE_LARGE_ROUNDS"); do
		# shellcheck disable=SC2086
		for server in $(round_order "$round" $CONNECTION_SERVERS); do
			echo "== idle-large, round $round of $IDLE_LARGE_ROUNDS, $server: $clients idle connections" \
				"($(uptime | sed 's/.*load/load/'))"
			start_variant "$server" "idle-large-$round" "$port"
			load --mode=idle --port="$port" --label="$server" --pid="$SERVER_PID" --source-addresses="$SOURCE_ADDRESSES" \
				--clients="$clients" --warm=false | tee "$OUT/$server-idle-large-$round.txt"
			stop_server
			port=$((port + 1))
		done
	done
	EXTRA_JVM=()
	EXTRA_SPRING=()
	collect_lines MEMORY idle-large "$IDLE_LARGE_ROUNDS" "$CONNECTION_SERVERS" phase per_conn_kb heap_per_conn_kb \
		native_per_conn_kb clients open_ms open_per_s failed >"$OUT/idle-large-results.txt"
	echo
	echo "Server memory per idle connection at $clients connections (heap used after a full GC + native" \
		"committed, KiB; $IDLE_LARGE_HEAP heap), and the time to open them, 100 at a time"
	memory_table <"$OUT/idle-large-results.txt"
	echo
	echo "Median of each column over the $IDLE_LARGE_ROUNDS rounds"
	median_lines <"$OUT/idle-large-results.txt" | memory_table
}

memory_table() {
	printf '%5s %-10s %5s %10s %10s %10s %8s %8s %10s %6s\n' round server phase 'KiB/conn' heap native clients \
		'open ms' 'opened/s' failed
	awk '{ printf "%5s %-10s %5s %10s %10s %10s %8s %8s %10s %6s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
}

# Slow consumer: every round starts the Tutti server afresh, connects SLOW_CLIENTS clients, warms
# up, and runs two broadcast steps of SLOW_BROADCASTS: one with every client reading and one in
# which one client has stopped reading (its receive buffer shrunk to 4 KiB), first in even rounds.
# The p95 of the other clients' round trips is compared between the two steps of each round.
slow_consumer() {
	local port=$((PORT + 500)) round first
	for round in $(seq "$SLOW_ROUNDS"); do
		first=false
		((round % 2 == 0)) && first=true
		echo "== slow-consumer, round $round of $SLOW_ROUNDS: $SLOW_CLIENTS clients, $SLOW_BROADCASTS broadcasts per" \
			"step, stalled step first: $first ($(uptime | sed 's/.*load/load/'))"
		start_variant tutti "slow-$round" "$port"
		load --mode=slow-consumer --port="$port" --label=tutti --pid="$SERVER_PID" --clients="$SLOW_CLIENTS" \
			--broadcasts="$SLOW_BROADCASTS" --concurrency="$CONCURRENCY" --warmup-broadcasts="$WARMUP_BROADCASTS" \
			--stalled-first="$first" --close-wait="$SLOW_CLOSE_WAIT" | tee "$OUT/tutti-slow-$round.txt"
		stop_server
		port=$((port + 1))
	done
	collect_lines SLOW slow "$SLOW_ROUNDS" tutti phase clients p50_ms p95_ms p99_ms msgs_per_s missing timed_out \
		>"$OUT/slow-results.txt"
	echo
	echo "Broadcast round trips (ms) of the clients that read, without and with one client that stopped reading"
	printf '%5s %-8s %8s %7s %8s %8s %8s %9s %8s %9s\n' round server phase clients p50 p95 p99 msgs/s missing timed-out
	awk '{ printf "%5s %-8s %8s %7s %8s %8s %8s %9.0f %8s %9s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' \
		"$OUT/slow-results.txt"
	echo
	echo "p95 with the stalled client / p95 without, per round, and the median"
	awk '$3 == "without" { w[$1] = $6 } $3 == "stalled" { s[$1] = $6 }
		END { for (r in w) if (r in s && w[r] > 0) printf "%s %.3f\n", r, s[r] / w[r] }' "$OUT/slow-results.txt" |
		sort -n | tee "$OUT/slow-ratios.txt"
	awk '{ v[NR] = $2 } END { n = asort(v); if (n) printf "median %.3f\n", (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' \
		"$OUT/slow-ratios.txt"
	echo
	echo "How the server ended the stalled client"
	for round in $(seq "$SLOW_ROUNDS"); do
		grep '^STALLED' "$OUT/tutti-slow-$round.txt" | sed "s/^/round $round: /"
	done
}

# Churn that must leave nothing: every round starts the Tutti server afresh (sessions join one of
# CHURN_HEAP_ROOMS rooms), opens and closes CHURN_HEAP_WARMUP connections, reads the heap after a
# full GC, opens and closes CHURN_HEAP_CONNECTIONS more in batches of CHURN_BATCH, a share
# CHURN_HEAP_ABRUPT of them closed with a TCP reset, waits for the hub to be empty and reads the
# heap again.
churn_heap() {
	local port=$((PORT + 600)) round
	EXTRA_SPRING=(--server.tomcat.accept-count="$CHURN_ACCEPT_COUNT" --shootout.rooms="$CHURN_HEAP_ROOMS")
	for round in $(seq "$CHURN_HEAP_ROUNDS"); do
		echo "== churn-heap, round $round of $CHURN_HEAP_ROUNDS: $CHURN_HEAP_CONNECTIONS connections after" \
			"$CHURN_HEAP_WARMUP, $CHURN_HEAP_ABRUPT reset ($(uptime | sed 's/.*load/load/'))"
		start_variant tutti "churn-heap-$round" "$port"
		load --mode=churn-heap --port="$port" --label=tutti --pid="$SERVER_PID" --source-addresses="$SOURCE_ADDRESSES" \
			--batch="$CHURN_BATCH" --warmup-connections="$CHURN_HEAP_WARMUP" --connections="$CHURN_HEAP_CONNECTIONS" \
			--abrupt-fraction="$CHURN_HEAP_ABRUPT" | tee "$OUT/tutti-churn-heap-$round.txt"
		stop_server
		port=$((port + 1))
	done
	EXTRA_SPRING=()
	collect_lines CHURNHEAP churn-heap "$CHURN_HEAP_ROUNDS" tutti connections failed sessions_left room_entries_left \
		heap_before_kb heap_after_kb heap_growth_kb ok >"$OUT/churn-heap-results.txt"
	echo
	echo "Churn of $CHURN_HEAP_CONNECTIONS connections ($CHURN_HEAP_ABRUPT reset): what is left, and the heap after a" \
		"full GC (KiB); ok: nothing left and the heap at most 2 MiB above where it was"
	churn_heap_table <"$OUT/churn-heap-results.txt"
	echo
	echo "Median of each column over the $CHURN_HEAP_ROUNDS rounds"
	cut -d' ' -f1-9 "$OUT/churn-heap-results.txt" | median_lines | churn_heap_table
}

churn_heap_table() {
	printf '%5s %-8s %11s %6s %13s %17s %11s %11s %8s %5s\n' round server connections failed sessions-left \
		room-entries-left heap-before heap-after growth ok
	awk '{ printf "%5s %-8s %11s %6s %13s %17s %11s %11s %8s %5s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
}

# Dead peers: every round starts the Tutti server afresh with DEAD_PING_PERIOD and
# DEAD_PONG_TIMEOUT and times how long it takes to notice DEAD_PEERS silent peers and as many
# reset ones.
dead_peer() {
	local port=$((PORT + 700)) round
	EXTRA_SPRING=(--tutti.ping-period="$DEAD_PING_PERIOD" --tutti.pong-timeout="$DEAD_PONG_TIMEOUT")
	for round in $(seq "$DEAD_ROUNDS"); do
		echo "== dead-peer, round $round of $DEAD_ROUNDS: $DEAD_PEERS peers of each kind, ping period" \
			"$DEAD_PING_PERIOD, pong timeout $DEAD_PONG_TIMEOUT ($(uptime | sed 's/.*load/load/'))"
		start_variant tutti "dead-peer-$round" "$port"
		load --mode=dead-peer --port="$port" --label=tutti --clients="$DEAD_PEERS" | tee "$OUT/tutti-dead-peer-$round.txt"
		stop_server
		port=$((port + 1))
	done
	EXTRA_SPRING=()
	echo
	echo "Time to notice dead peers (ping period $DEAD_PING_PERIOD, pong timeout $DEAD_PONG_TIMEOUT; silent: from the last pong or the" \
		"upgrade to the close frame; reset: until the hub had none of them left)"
	for round in $(seq "$DEAD_ROUNDS"); do
		grep '^DEADPEER' "$OUT/tutti-dead-peer-$round.txt" | sed "s/^/round $round: /"
	done
}

# The cluster mode's servers and Redis, stopped on exit
CLUSTER_PIDS=()
stop_cluster() {
	local pid
	for pid in ${CLUSTER_PIDS[@]+"${CLUSTER_PIDS[@]}"}; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in ${CLUSTER_PIDS[@]+"${CLUSTER_PIDS[@]}"}; do
		for _ in $(seq 60); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		kill -9 "$pid" 2>/dev/null || true
	done
	CLUSTER_PIDS=()
}

cluster_redis() {
	redis-cli -h 127.0.0.1 -p $((CLUSTER_PORT + 9)) "$@"
}

# Three servers on CPU 0 joined by a Redis of the run's own, the load on CPU 1; then one
# server alone with the same load.
cluster() {
	local prefix="bench-$(date +%s)" i line calls total
	echo "== Cluster: $CLUSTER_CLIENTS clients over 3 servers, $CLUSTER_RATE broadcasts/s ($(uptime | sed 's/.*load/load/'))"
	redis-server --port $((CLUSTER_PORT + 9)) --bind 127.0.0.1 --save "" --appendonly no >"$OUT/cluster-redis.log" 2>&1 &
	CLUSTER_PIDS+=($!)
	for _ in $(seq 50); do
		[[ "$(cluster_redis ping 2>/dev/null)" == PONG ]] && break
		sleep 0.1
	done
	for i in 0 1 2; do
		start_server "cluster-$i" tutti $((CLUSTER_PORT + i)) -Xms"$CLUSTER_HEAP" -Xmx"$CLUSTER_HEAP" -- \
			--tutti.cluster.backplane=redis --tutti.cluster.channel-prefix="$prefix" --tutti.cluster.node-id="node-$i" \
			--spring.data.redis.port=$((CLUSTER_PORT + 9))
		CLUSTER_PIDS+=("$SERVER_PID")
		SERVER_PID=
	done
	cluster_redis config resetstat >/dev/null
	line=$(load --mode=cluster --label=cluster --ports="$CLUSTER_PORT,$((CLUSTER_PORT + 1)),$((CLUSTER_PORT + 2))" \
		--clients="$CLUSTER_CLIENTS" --rate="$CLUSTER_RATE" --seconds="$CLUSTER_SECONDS" | grep '^CLUSTER')
	calls=$(cluster_redis info commandstats | sed -n 's/^cmdstat_publish:calls=\([0-9]*\),.*/\1/p')
	total=$(field broadcasts_total "$line")
	echo "$line publishes=${calls:-0} publishes_per_broadcast=$(awk -v c="${calls:-0}" -v t="$total" 'BEGIN { printf "%.3f", c / t }')" |
		tee "$OUT/cluster-results.txt"
	stop_cluster
	start_server cluster-single tutti $((CLUSTER_PORT + 3)) -Xms"$CLUSTER_HEAP" -Xmx"$CLUSTER_HEAP"
	load --mode=cluster --label=single --ports=$((CLUSTER_PORT + 3)) --clients="$CLUSTER_CLIENTS" \
		--rate="$CLUSTER_RATE" --seconds="$CLUSTER_SECONDS" | grep '^CLUSTER' | tee -a "$OUT/cluster-results.txt"
	stop_server
	echo
	awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[NR, kv[1]] = kv[2] } }
		END {
			printf "cross-node delivery adds %.2f ms at p50 and %.2f ms at p99 over a local one (local p50 %.2f / p99 %.2f ms, cross-node p50 %.2f / p99 %.2f ms)\n", v[1, "added_p50_ms"], v[1, "added_p99_ms"], v[1, "local_p50_ms"], v[1, "local_p99_ms"], v[1, "remote_p50_ms"], v[1, "remote_p99_ms"]
			printf "Redis publishes per broadcast: %s\n", v[1, "publishes_per_broadcast"]
			printf "delivered messages/s: %s for the cluster of 3, %s for one server alone\n", v[1, "delivered_per_s"], v[2, "delivered_per_s"]
		}' "$OUT/cluster-results.txt"
}

jmh() {
	echo "== JMH ($(uptime | sed 's/.*load/load/'))"
	# shellcheck disable=SC2086
	${PRIORITY[@]+"${PRIORITY[@]}"} taskset -c 1 java -cp "$CLASSES:$(cat "$OUT/classpath.txt")" org.openjdk.jmh.Main $JMH_ARGS \
		-rf csv -rff "$OUT/jmh.csv" 'dev.tutti.benchmarks.jmh.*' | tee "$OUT/jmh.txt"
	echo
	awk -F, '{ gsub(/["\r]/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 ~ /BroadcastBenchmark.broadcast$/ && $col["Param: metrics"] == "false" { t[$col["Param: sessions"]] = $5 }
		$1 ~ /BroadcastBenchmark.broadcast$/ && $col["Param: metrics"] == "true" { m[$col["Param: sessions"]] = $5 }
		$1 ~ /BroadcastBenchmark.broadcast:gc.alloc.rate.norm$/ && $col["Param: metrics"] == "false" { a[$col["Param: sessions"]] = $5 }
		$1 ~ /RoomBenchmark.broadcastToRoom$/ { r[$col["Param: members"]] = $5 }
		$1 ~ /RoomBenchmark.joinAndLeave$/ { j[$col["Param: members"]] = $5 }
		END {
			if (t[10] != "" && t[10000] != "")
				printf "Broadcast: %.1f ns per recipient at 10 sessions, %.1f ns at 10,000; one more recipient costs %.1f ns\n", t[10] / 10, t[10000] / 10000, (t[10000] - t[10]) / 9990
			if (t[1000] != "" && m[1000] != "")
				printf "Meters bound: a broadcast to 1,000 sessions costs %.1f%% more (%.0f ns against %.0f ns)\n", 100 * (m[1000] / t[1000] - 1), m[1000], t[1000]
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
	churn) churn ;;
	connection-cost) connection_cost ;;
	storm) storm ;;
	idle) idle ;;
	idle-large) idle_large ;;
	slow-consumer) slow_consumer ;;
	churn-heap) churn_heap ;;
	dead-peer) dead_peer ;;
	cluster) cluster ;;
	jmh) jmh ;;
	all) shootout; large; memory; churn; storm; idle; idle_large; jmh ;;
esac
echo "Done: $(uptime)"
