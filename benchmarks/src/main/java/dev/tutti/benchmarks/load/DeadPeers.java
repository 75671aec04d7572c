package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long the server takes to notice peers that vanish without a close frame: clients
 * that stop answering pings (silent: their kernel still acknowledges, and they still
 * read, so the server's close frame is timed from the last thing the server heard of
 * them, the upgrade or their last pong), and clients whose connection is reset (the time
 * until the hub has no session left, read from the Tutti server's {@code /shootout/hub}).
 * Prints a {@code DEADPEER} line per kind. Not thread-safe.
 */
final class DeadPeers {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(1);

	private final ClientPool pool;

	private final HubStatsClient stats;

	private final String label;

	DeadPeers(ClientPool pool, HubStatsClient stats, String label) {
		this.pool = pool;
		this.stats = stats;
		this.label = label;
	}

	/**
	 * Measure silent peers, then reset ones.
	 * @param clients the peers of each kind
	 * @param timeout how long to wait for the server to notice them all
	 * @throws IOException if the clients cannot connect or the server cannot be read
	 */
	void run(int clients, Duration timeout) throws IOException {
		silent(clients, timeout);
		reset(clients, timeout);
	}

	private void silent(int clients, Duration timeout) throws IOException {
		this.pool.connect(clients, 100, CONNECT_TIMEOUT);
		List<Client> peers = List.copyOf(this.pool.openClients());
		peers.forEach(this.pool::silence);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.pool.size() > 0 && System.nanoTime() - deadline < 0) {
			this.pool.poll(5);
		}
		long[] millis = peers.stream()
			.filter((peer) -> peer.closedAt != 0)
			.mapToLong((peer) -> (peer.closedAt - Math.max(peer.openedAt, peer.lastPongAt)) / 1_000_000)
			.sorted()
			.toArray();
		long[] codes = peers.stream()
			.filter((peer) -> peer.closedAt != 0)
			.mapToLong((peer) -> peer.closeCode)
			.distinct()
			.toArray();
		System.out.println(String.format(Locale.ROOT,
				"DEADPEER server=%s kind=silent peers=%d detected=%d min_ms=%d p50_ms=%d max_ms=%d close_codes=%s",
				this.label, peers.size(), millis.length, percentile(millis, 0), percentile(millis, 50),
				percentile(millis, 100), Arrays.toString(codes).replace(" ", "")));
		this.pool.disconnectAll();
	}

	private void reset(int clients, Duration timeout) throws IOException {
		long sessionsBefore = this.stats.read().sessions();
		this.pool.connect(clients, 100, CONNECT_TIMEOUT);
		List<Client> peers = List.copyOf(this.pool.openClients());
		long started = System.nanoTime();
		peers.forEach(this.pool::abort);
		long deadline = started + timeout.toNanos();
		HubStatsClient.Stats stats = this.stats.read();
		while (stats.sessions() > sessionsBefore && System.nanoTime() - deadline < 0) {
			this.pool.poll(2);
			stats = this.stats.read();
		}
		System.out.println(String.format(Locale.ROOT,
				"DEADPEER server=%s kind=reset peers=%d left=%d all_detected_ms=%d closes=%s", this.label, peers.size(),
				stats.sessions() - sessionsBefore, (System.nanoTime() - started) / 1_000_000, stats.group("closes")));
	}

	private static long percentile(long[] sorted, int percent) {
		if (sorted.length == 0) {
			return -1;
		}
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

}
