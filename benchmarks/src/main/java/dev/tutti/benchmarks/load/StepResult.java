package dev.tutti.benchmarks.load;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What one broadcast step measured.
 *
 * @param clients the number of connected clients
 * @param broadcasts the number of broadcasts sent
 * @param completed the number of broadcasts that reached every client in time
 * @param timedOut the number of broadcasts given up
 * @param p50 the median round trip in nanoseconds
 * @param p95 the 95th percentile round trip in nanoseconds
 * @param p99 the 99th percentile round trip in nanoseconds
 * @param max the longest round trip in nanoseconds
 * @param delivered the number of broadcast messages clients received
 * @param elapsedNanos the time from the first broadcast to the last completion
 * @param missing the number of broadcast and result messages that never arrived
 * @param extra the number of duplicate or unexpected broadcast and result messages
 * @param wrongListenerCounts the number of results whose listener count was not the
 * number of clients
 * @param serverCpu the server's CPU time and context switches, or {@code null} if unknown
 * @param clientTicks the load generator's CPU time in clock ticks
 * @param messageBytes the mean size of the broadcast messages clients received
 * @param framesPerMessage the data frames received per data message received, or -1 if
 * none
 */
record StepResult(int clients, int broadcasts, int completed, int timedOut, long p50, long p95, long p99, long max,
		long delivered, long elapsedNanos, long missing, long extra, long wrongListenerCounts,
		ServerProbe.@Nullable CpuSample serverCpu, long clientTicks, long messageBytes, double framesPerMessage) {

	double messagesPerSecond() {
		return this.delivered * 1e9 / Math.max(1, this.elapsedNanos);
	}

	double serverMicrosPerMessage() {
		return (this.serverCpu == null || this.delivered == 0) ? -1
				: serverTicks() * ServerProbe.MICROS_PER_TICK / (double) this.delivered;
	}

	double serverSystemPercent() {
		long ticks = serverTicks();
		return (this.serverCpu == null || ticks == 0) ? -1 : 100.0 * this.serverCpu.systemTicks() / ticks;
	}

	double serverContextSwitchesPerMessage() {
		return (this.serverCpu == null || this.delivered == 0) ? -1
				: this.serverCpu.contextSwitches() / (double) this.delivered;
	}

	double serverWritesPerMessage() {
		return (this.serverCpu == null || this.delivered == 0) ? -1 : this.serverCpu.writes() / (double) this.delivered;
	}

	double serverCpuPercent() {
		return (this.serverCpu == null) ? -1 : serverTicks() * ServerProbe.MICROS_PER_TICK * 1e5 / this.elapsedNanos;
	}

	private long serverTicks() {
		return (this.serverCpu != null) ? this.serverCpu.userTicks() + this.serverCpu.systemTicks() : 0;
	}

	double clientCpuPercent() {
		return this.clientTicks * ServerProbe.MICROS_PER_TICK * 1e5 / this.elapsedNanos;
	}

	String format(String label) {
		return String.format(Locale.ROOT,
				"RESULT server=%s clients=%d broadcasts=%d completed=%d timed_out=%d p50_ms=%.2f p95_ms=%.2f "
						+ "p99_ms=%.2f max_ms=%.2f msgs_per_s=%.0f missing=%d extra=%d wrong_listener_count=%d "
						+ "server_cpu_us_per_msg=%.2f server_cpu_pct=%.0f server_sys_pct=%.0f "
						+ "server_ctx_switches_per_msg=%.3f server_writes_per_msg=%.3f client_cpu_pct=%.0f msg_bytes=%d "
						+ "frames_per_msg=%.2f",
				label, this.clients, this.broadcasts, this.completed, this.timedOut, millis(this.p50), millis(this.p95),
				millis(this.p99), millis(this.max), messagesPerSecond(), this.missing, this.extra,
				this.wrongListenerCounts, serverMicrosPerMessage(), serverCpuPercent(), serverSystemPercent(),
				serverContextSwitchesPerMessage(), serverWritesPerMessage(), clientCpuPercent(), this.messageBytes,
				this.framesPerMessage);
	}

	private static double millis(long nanos) {
		return (nanos < 0) ? -1 : nanos / 1e6;
	}

}
