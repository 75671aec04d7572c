package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.jspecify.annotations.Nullable;

/**
 * A slow consumer among many clients: two broadcast steps on the same server, one with
 * every client reading and one in which a single client has stopped reading (its socket
 * receive buffer, shrunk to a few KiB, fills and then the server's send buffer), in the
 * given order. Prints a {@code SLOW} line per step with the other clients' round trip
 * percentiles, and a {@code STALLED} line with how the server ended the stalled client:
 * the close statuses and error types its hub counted during the step (read from the Tutti
 * server's {@code /shootout/hub}). Not thread-safe.
 */
final class SlowConsumer {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(2);

	/** The stalled client's receive buffer. */
	private static final int STALLED_RECEIVE_BUFFER = 4096;

	private final ClientPool pool;

	private final ShootoutClients shootout;

	private final @Nullable ServerProbe probe;

	private final HubStatsClient stats;

	private final String label;

	private final Random random = new Random(7);

	SlowConsumer(ClientPool pool, ShootoutClients shootout, @Nullable ServerProbe probe, HubStatsClient stats,
			String label) {
		this.pool = pool;
		this.shootout = shootout;
		this.probe = probe;
		this.stats = stats;
		this.label = label;
	}

	/**
	 * Connect the clients, warm up, and run both steps.
	 * @param clients the number of clients
	 * @param warmup the broadcasts of the warm-up
	 * @param broadcasts the broadcasts of each step
	 * @param concurrency the broadcasts in flight at once
	 * @param timeout how long one broadcast may take
	 * @param stalledFirst whether the step with the stalled client runs first
	 * @param closeWait how long to wait after the step for the server to close the
	 * stalled client, if it has not yet
	 * @throws IOException if the clients cannot connect or the server does not echo
	 */
	void run(int clients, int warmup, int broadcasts, int concurrency, Duration timeout, boolean stalledFirst,
			Duration closeWait) throws IOException {
		this.pool.connect(clients, 100, CONNECT_TIMEOUT);
		if (!this.shootout.verifyEcho(Duration.ofSeconds(10))) {
			throw new IOException("No echo from " + this.label + " within 10 s");
		}
		if (warmup > 0) {
			StepResult result = this.shootout.broadcast(warmup, concurrency, timeout, this.probe);
			log("%s", result.format(this.label + "-warmup").replace("RESULT ", "WARMUP "));
		}
		for (boolean stalled : stalledFirst ? List.of(true, false) : List.of(false, true)) {
			// Back to the full number of clients: the stalled one is gone after its step
			this.pool.connect(clients, 100, CONNECT_TIMEOUT);
			if (this.probe != null) {
				this.probe.collectGarbage();
			}
			System.gc();
			this.pool.idle(Duration.ofMillis(500));
			if (stalled) {
				stalledStep(broadcasts, concurrency, timeout, closeWait);
			}
			else {
				StepResult result = this.shootout.broadcast(broadcasts, concurrency, timeout, this.probe);
				System.out.println(result.format(this.label).replace("RESULT ", "SLOW phase=without "));
			}
		}
	}

	private void stalledStep(int broadcasts, int concurrency, Duration timeout, Duration closeWait) throws IOException {
		HubStatsClient.Stats before = this.stats.read();
		List<Client> open = this.pool.openClients();
		Client stalled = open.get(this.random.nextInt(open.size()));
		stalled.channel.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
		this.pool.stall(stalled);
		long stalledAt = System.nanoTime();
		StepResult result = this.shootout.broadcast(broadcasts, concurrency, timeout, this.probe);
		long stepEnded = System.nanoTime();
		System.out.println(result.format(this.label).replace("RESULT ", "SLOW phase=stalled "));
		// The stalled client's session: closed during the step, or later (poll, not
		// counted in the step)
		long expected = this.pool.size();
		HubStatsClient.Stats after = this.stats.read();
		boolean closedDuringStep = after.sessions() <= expected;
		long deadline = System.nanoTime() + closeWait.toNanos();
		while (after.sessions() > expected && System.nanoTime() - deadline < 0) {
			this.pool.idle(Duration.ofMillis(100));
			after = this.stats.read();
		}
		boolean closed = after.sessions() <= expected;
		long seenClosed = System.nanoTime();
		System.out.println(String.format(Locale.ROOT,
				"STALLED server=%s closed=%s closed_during_step=%s seen_closed_after_ms=%d step_ms=%d "
						+ "write_timeouts=%d buffer_full_closes=%d buffer_full_errors=%d closes_before=%s "
						+ "closes_after=%s errors_before=%s errors_after=%s",
				this.label, closed, closedDuringStep, (seenClosed - stalledAt) / 1_000_000,
				(stepEnded - stalledAt) / 1_000_000,
				after.count("closes", "1001-Write-timeout") - before.count("closes", "1001-Write-timeout"),
				after.count("closes", "1008-Outbound-buffer-full")
						- before.count("closes", "1008-Outbound-buffer-full"),
				after.count("errors", "BufferFullException") - before.count("errors", "BufferFullException"),
				before.group("closes"), after.group("closes"), before.group("errors"), after.group("errors")));
		this.pool.abort(stalled);
	}

	private static void log(String format, Object... args) {
		System.out.println(String.format(Locale.ROOT, format, args));
	}

}
