package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Connection churn: opens a batch of connections at once, waits for their upgrade
 * responses, closes them all and waits until the server has closed them, in cycles, and
 * measures the server's CPU time per connection, handshake to close. Not thread-safe.
 * <p>
 * It measures twice: over the first cycles after the server started (cold: the JIT
 * compiler, class loading and the first growth of the container's thread pool count too),
 * and, after a warm-up of several thousand more connections and a full GC, over further
 * cycles (warm). It polls without sleeping during the cycles, so that the server pays no
 * wake-ups of the client.
 */
final class ConnectionChurn {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final ClientPool pool;

	private final ServerProbe probe;

	private final String label;

	private final int batch;

	private final double abruptFraction;

	/**
	 * Prepare connection churn in batches.
	 * @param pool the clients
	 * @param probe the server's CPU probe
	 * @param label the server's name in the output
	 * @param batch the number of connections opened at once in each cycle
	 * @param abruptFraction the share of connections closed without a close frame
	 */
	ConnectionChurn(ClientPool pool, ServerProbe probe, String label, int batch, double abruptFraction) {
		this.pool = pool;
		this.probe = probe;
		this.label = label;
		this.batch = batch;
		this.abruptFraction = abruptFraction;
	}

	/**
	 * Measure the cold cycles, warm up, measure the warm cycles, and print a
	 * {@code CHURN} line for each measurement.
	 * @param coldCycles the cycles measured right after the server started
	 * @param warmupConnections the connections opened and closed, unmeasured, between the
	 * two measurements
	 * @param warmCycles the cycles measured after the warm-up
	 * @throws IOException if no connection opens in a cycle, or the probe fails
	 */
	void run(int coldCycles, int warmupConnections, int warmCycles) throws IOException {
		// Let the server finish what it compiles and collects after starting.
		this.pool.idle(Duration.ofSeconds(2));
		System.out.println(measure(coldCycles).format(this.label, "cold"));
		int warmupCycles = (warmupConnections + this.batch - 1) / this.batch;
		Measurement warmup = measure(warmupCycles);
		System.out.println(String.format(Locale.ROOT, "%s: warm-up of %d connections in %d ms", this.label,
				warmup.connects.opened(), warmup.elapsedNanos / 1_000_000));
		this.probe.collectGarbage();
		System.gc();
		this.pool.idle(Duration.ofMillis(500));
		System.out.println(measure(warmCycles).format(this.label, "warm"));
	}

	private Measurement measure(int cycles) throws IOException {
		ServerProbe.CpuSample cpu = this.probe.cpu();
		long listenDrops = ServerProbe.listenDrops();
		long started = System.nanoTime();
		ConnectBurst connects = ConnectBurst.none();
		int unclosed = 0;
		for (int i = 0; i < cycles; i++) {
			ConnectBurst burst = this.pool.connectAtOnce(this.batch, CONNECT_TIMEOUT);
			if (burst.opened() == 0) {
				throw new IOException("No connection of " + this.batch + " opened (" + burst.failed() + " failed, "
						+ burst.timedOut() + " timed out)");
			}
			connects = connects.plus(burst);
			unclosed += this.pool.disconnectAll(this.abruptFraction, true, CLOSE_TIMEOUT);
		}
		long elapsed = System.nanoTime() - started;
		return new Measurement(cycles, connects, unclosed, elapsed, this.probe.cpu().minus(cpu),
				ServerProbe.listenDrops() - listenDrops);
	}

	private final class Measurement {

		final int cycles;

		final ConnectBurst connects;

		final int unclosed;

		final long elapsedNanos;

		final ServerProbe.CpuSample serverCpu;

		final long listenDrops;

		Measurement(int cycles, ConnectBurst connects, int unclosed, long elapsedNanos, ServerProbe.CpuSample serverCpu,
				long listenDrops) {
			this.cycles = cycles;
			this.connects = connects;
			this.unclosed = unclosed;
			this.elapsedNanos = elapsedNanos;
			this.serverCpu = serverCpu;
			this.listenDrops = listenDrops;
		}

		String format(String label, String phase) {
			int opened = this.connects.opened();
			long ticks = this.serverCpu.userTicks() + this.serverCpu.systemTicks();
			double cpuMicros = ticks * (double) ServerProbe.MICROS_PER_TICK;
			return String.format(Locale.ROOT,
					"CHURN server=%s phase=%s cycles=%d batch=%d connections=%d failed=%d timed_out=%d "
							+ "abrupt_pct=%.0f unclosed=%d server_cpu_us_per_conn=%.1f server_sys_pct=%.0f "
							+ "server_writes_per_conn=%.2f server_ctx_switches_per_conn=%.2f conn_per_cpu_s=%.0f "
							+ "conn_per_s=%.0f server_cpu_pct=%.0f handshake_p50_ms=%.2f handshake_p99_ms=%.2f "
							+ "connect_ms=%d elapsed_ms=%d listen_drops=%d",
					label, phase, this.cycles, ConnectionChurn.this.batch, opened, this.connects.failed(),
					this.connects.timedOut(), 100 * ConnectionChurn.this.abruptFraction, this.unclosed,
					cpuMicros / opened, (ticks > 0) ? 100.0 * this.serverCpu.systemTicks() / ticks : -1,
					this.serverCpu.writes() / (double) opened, this.serverCpu.contextSwitches() / (double) opened,
					(ticks > 0) ? opened * 1e6 / cpuMicros : -1, opened * 1e9 / this.elapsedNanos,
					cpuMicros * 1e5 / this.elapsedNanos, this.connects.latencyMillis(50),
					this.connects.latencyMillis(99), this.connects.elapsedNanos() / 1_000_000,
					this.elapsedNanos / 1_000_000, this.listenDrops);
		}

	}

}
