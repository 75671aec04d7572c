package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The server's memory per idle connection: heap used after a full GC plus native memory
 * committed outside the heap, measured before and after opening idle connections. Not
 * thread-safe.
 * <p>
 * The first measurement is of the server as it started (cold: what the first connections
 * cost includes one-time costs such as the growth of the container's thread pool and the
 * JIT compiler's code). If asked, the connections are then closed and the same number
 * opened and measured again (warm: the figure after a warm-up round of as many
 * connections).
 */
final class IdleMemory {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(5);

	private final ClientPool pool;

	private final ServerProbe probe;

	private final String label;

	private final int connectConcurrency;

	private final Duration idle;

	/**
	 * Prepare measurements.
	 * @param pool the clients
	 * @param probe the server's probe; the server must run with a fixed heap and
	 * {@code -XX:NativeMemoryTracking=summary}
	 * @param label the server's name in the output
	 * @param connectConcurrency how many connects and handshakes may be in progress at a
	 * time
	 * @param idle how long the connections stay idle before the memory is measured
	 */
	IdleMemory(ClientPool pool, ServerProbe probe, String label, int connectConcurrency, Duration idle) {
		this.pool = pool;
		this.probe = probe;
		this.label = label;
		this.connectConcurrency = connectConcurrency;
		this.idle = idle;
	}

	/**
	 * Measure the cold figure and, if asked, the warm one, and print a {@code MEMORY}
	 * line for each.
	 * @param clients the number of idle connections
	 * @param warm whether to measure the warm figure too
	 * @throws IOException if the connections do not all open within five minutes, or a
	 * measurement fails
	 */
	void run(int clients, boolean warm) throws IOException {
		measure("cold", clients);
		if (warm) {
			this.pool.disconnectAll();
			this.pool.idle(Duration.ofSeconds(1));
			measure("warm", clients);
		}
	}

	private void measure(String phase, int clients) throws IOException {
		ServerProbe.Memory before = this.probe.memory();
		int failed = this.pool.failedConnects();
		long started = System.nanoTime();
		this.pool.connect(clients, this.connectConcurrency, CONNECT_TIMEOUT);
		long opening = System.nanoTime() - started;
		failed = this.pool.failedConnects() - failed;
		this.pool.idle(this.idle);
		ServerProbe.Memory after = this.probe.memory();
		int connected = this.pool.size();
		double heap = (after.heapUsed() - before.heapUsed()) / (double) connected;
		double nativeMemory = (after.nativeCommitted() - before.nativeCommitted()) / (double) connected;
		System.out.println(String.format(Locale.ROOT,
				"MEMORY server=%s phase=%s clients=%d heap_before_kb=%d heap_after_kb=%d native_before_kb=%d "
						+ "native_after_kb=%d heap_per_conn_kb=%.1f native_per_conn_kb=%.1f per_conn_kb=%.1f "
						+ "open_ms=%d open_per_s=%.0f failed=%d",
				this.label, phase, connected, before.heapUsed(), after.heapUsed(), before.nativeCommitted(),
				after.nativeCommitted(), heap, nativeMemory, heap + nativeMemory, opening / 1_000_000,
				connected * 1e9 / opening, failed));
	}

}
