package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Connection churn that must leave nothing behind: after a warm-up, cycles of
 * {@code batch} connections opened at once and closed, a share of them abruptly with a
 * TCP reset and no close frame, then a check that the server's hub has no session and no
 * room entry left (read from the Tutti server's {@code /shootout/hub}) and a comparison
 * of the server's heap after a full GC before and after the cycles (at most 2 MiB more
 * after). Prints a {@code CHURNHEAP} line. Not thread-safe.
 */
final class ChurnHeap {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration EMPTY_TIMEOUT = Duration.ofSeconds(60);

	/** The heap after the cycles may exceed the heap before by at most this much. */
	private static final long HEAP_TOLERANCE = 2 * 1024 * 1024;

	private final ClientPool pool;

	private final ServerProbe probe;

	private final HubStatsClient stats;

	private final String label;

	private final int batch;

	private final double abruptFraction;

	ChurnHeap(ClientPool pool, ServerProbe probe, HubStatsClient stats, String label, int batch,
			double abruptFraction) {
		this.pool = pool;
		this.probe = probe;
		this.stats = stats;
		this.label = label;
		this.batch = batch;
		this.abruptFraction = abruptFraction;
		pool.resetAbrupt(true);
	}

	/**
	 * Warm up, measure the heap, churn, check, measure again.
	 * @param warmupConnections connections opened and closed before the first measurement
	 * @param connections connections opened and closed between the measurements
	 * @throws IOException if a cycle opens nothing or the server cannot be read
	 */
	void run(int warmupConnections, int connections) throws IOException {
		this.pool.idle(Duration.ofSeconds(2));
		Cycles warmup = cycles(warmupConnections);
		awaitEmpty();
		long before = this.probe.heapUsedAfterGc();
		Cycles churn = cycles(connections);
		long emptyStarted = System.nanoTime();
		HubStatsClient.Stats left = awaitEmpty();
		long emptyMillis = (System.nanoTime() - emptyStarted) / 1_000_000;
		long after = this.probe.heapUsedAfterGc();
		long growth = after - before;
		boolean ok = left.sessions() == 0 && left.roomEntries() == 0 && growth <= HEAP_TOLERANCE;
		System.out.println(String.format(Locale.ROOT,
				"CHURNHEAP server=%s ok=%s warmup_connections=%d connections=%d failed=%d timed_out=%d unclosed=%d "
						+ "abrupt_pct=%.0f sessions_left=%d room_entries_left=%d rooms_left=%d empty_after_ms=%d "
						+ "heap_before_kb=%d heap_after_kb=%d heap_growth_kb=%d churn_ms=%d closes=%s errors=%s",
				this.label, ok, warmup.opened, churn.opened, churn.failed, churn.timedOut, churn.unclosed,
				100 * this.abruptFraction, left.sessions(), left.roomEntries(), left.rooms(), emptyMillis,
				before / 1024, after / 1024, growth / 1024, churn.elapsedNanos / 1_000_000, left.group("closes"),
				left.group("errors")));
	}

	private Cycles cycles(int connections) throws IOException {
		Cycles cycles = new Cycles();
		long started = System.nanoTime();
		while (cycles.opened < connections) {
			int count = Math.min(this.batch, connections - cycles.opened);
			ConnectBurst burst = this.pool.connectAtOnce(count, CONNECT_TIMEOUT);
			if (burst.opened() == 0) {
				throw new IOException("No connection of " + count + " opened (" + burst.failed() + " failed, "
						+ burst.timedOut() + " timed out)");
			}
			cycles.opened += burst.opened();
			cycles.failed += burst.failed();
			cycles.timedOut += burst.timedOut();
			cycles.unclosed += this.pool.disconnectAll(this.abruptFraction, true, CLOSE_TIMEOUT);
		}
		cycles.elapsedNanos = System.nanoTime() - started;
		return cycles;
	}

	/**
	 * Wait until the hub has no session left, or the timeout passed.
	 * @return the last statistics read
	 */
	private HubStatsClient.Stats awaitEmpty() throws IOException {
		long deadline = System.nanoTime() + EMPTY_TIMEOUT.toNanos();
		HubStatsClient.Stats stats = this.stats.read();
		while ((stats.sessions() > 0 || stats.roomEntries() > 0) && System.nanoTime() - deadline < 0) {
			this.pool.idle(Duration.ofMillis(10));
			stats = this.stats.read();
		}
		return stats;
	}

	private static final class Cycles {

		int opened;

		int failed;

		int timedOut;

		int unclosed;

		long elapsedNanos;

	}

}
