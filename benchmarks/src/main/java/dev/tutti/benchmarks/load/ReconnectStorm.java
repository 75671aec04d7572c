package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A reconnect storm: many clients connect at once, as fast as one thread can start their
 * connects, as after a server restart or a network failure; measures the time until every
 * one has its upgrade response, and the connects that failed. Not thread-safe.
 * <p>
 * The first storm hits the server as it started (cold); after every connection is closed
 * and a full GC, a second storm hits it again (warm).
 */
final class ReconnectStorm {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

	private final ClientPool pool;

	private final @Nullable ServerProbe probe;

	private final String label;

	/**
	 * Prepare storms.
	 * @param pool the clients
	 * @param probe the server's CPU probe, or {@code null}
	 * @param label the server's name in the output
	 */
	ReconnectStorm(ClientPool pool, @Nullable ServerProbe probe, String label) {
		this.pool = pool;
		this.probe = probe;
		this.label = label;
	}

	/**
	 * Run a cold storm and, if asked, a warm one, and print a {@code STORM} line for
	 * each.
	 * @param clients the number of clients connecting at once
	 * @param timeout how long a storm may last; connects still in progress then count as
	 * timed out
	 * @param warm whether to run the second storm
	 */
	void run(int clients, Duration timeout, boolean warm) throws IOException {
		// Let the server finish what it compiles and collects after starting.
		this.pool.idle(Duration.ofSeconds(2));
		storm("cold", clients, timeout);
		if (warm) {
			int unclosed = this.pool.disconnectAll(0, false, CLOSE_TIMEOUT);
			System.out.println(String.format(Locale.ROOT,
					"%s: closed the storm's connections (%d not closed by the " + "server within %d s)", this.label,
					unclosed, CLOSE_TIMEOUT.toSeconds()));
			ServerProbe probe = this.probe;
			if (probe != null) {
				probe.collectGarbage();
			}
			System.gc();
			this.pool.idle(Duration.ofSeconds(1));
			storm("warm", clients, timeout);
		}
	}

	private void storm(String phase, int clients, Duration timeout) throws IOException {
		ServerProbe probe = this.probe;
		ServerProbe.CpuSample cpu = (probe != null) ? probe.cpu() : null;
		long listenDrops = ServerProbe.listenDrops();
		ConnectBurst burst = this.pool.connectAtOnce(clients, timeout);
		ServerProbe.CpuSample used = (probe != null && cpu != null) ? probe.cpu().minus(cpu) : null;
		listenDrops = ServerProbe.listenDrops() - listenDrops;
		long closedBefore = this.pool.closedByServer();
		this.pool.idle(Duration.ofSeconds(1));
		long closedAfter = this.pool.closedByServer() - closedBefore;
		long ticks = (used != null) ? used.userTicks() + used.systemTicks() : -1;
		double cpuMicrosPerConnection = (ticks >= 0 && burst.opened() > 0)
				? ticks * (double) ServerProbe.MICROS_PER_TICK / burst.opened() : -1;
		System.out.println(String.format(Locale.ROOT,
				"STORM server=%s phase=%s clients=%d opened=%d failed=%d timed_out=%d all_open_ms=%.0f "
						+ "issue_ms=%.0f elapsed_ms=%.0f conn_p50_ms=%.1f conn_p99_ms=%.1f conn_max_ms=%.1f "
						+ "server_cpu_us_per_conn=%.1f server_cpu_pct=%.0f listen_drops=%d closed_by_server_after=%d",
				this.label, phase, clients, burst.opened(), burst.failed(), burst.timedOut(),
				(burst.opened() == clients) ? burst.allOpenNanos() / 1e6 : -1, burst.issueNanos() / 1e6,
				burst.elapsedNanos() / 1e6, burst.latencyMillis(50), burst.latencyMillis(99), burst.latencyMillis(100),
				cpuMicrosPerConnection,
				(ticks >= 0) ? ticks * ServerProbe.MICROS_PER_TICK * 1e5 / burst.elapsedNanos() : -1, listenDrops,
				closedAfter));
	}

}
