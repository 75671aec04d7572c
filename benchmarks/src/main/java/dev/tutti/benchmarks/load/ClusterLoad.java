package dev.tutti.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The cluster benchmark: clients spread over several servers of one cluster (one per
 * port), broadcasts at a fixed rate sent by clients of every server in turn, each stamped
 * with its sender's server and the time it was sent. Every client sorts what it receives
 * into local deliveries (sent through its own server) and cross-node ones (relayed by the
 * backplane) and records their latency, so that the added latency of a cross-node
 * delivery is the difference of the two. Prints a {@code CLUSTER} line. Clients and
 * timestamps share one JVM, so the latencies need no clock sync.
 */
final class ClusterLoad {

	/** Latency histogram resolution: 10 µs buckets up to 5 s. */
	private static final long BUCKET_NANOS = 10_000;

	private static final int BUCKETS = 500_000;

	private final List<Integer> ports;

	private final String label;

	private final AtomicLongArray local = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray remote = new AtomicLongArray(BUCKETS);

	private final AtomicLong delivered = new AtomicLong();

	private volatile boolean measuring;

	ClusterLoad(List<Integer> ports, String label) {
		this.ports = ports;
		this.label = label;
	}

	void run(int clients, int rate, Duration warmup, Duration duration) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "cluster-load");
			thread.setDaemon(true);
			return thread;
		});
		HttpClient http = HttpClient.newBuilder().executor(executor).build();
		List<WebSocket> sockets = new ArrayList<>(clients);
		List<Integer> nodes = new ArrayList<>(clients);
		for (int i = 0; i < clients; i += 50) {
			List<CompletableFuture<WebSocket>> batch = new ArrayList<>();
			for (int j = i; j < Math.min(clients, i + 50); j++) {
				int node = j % this.ports.size();
				nodes.add(node);
				batch.add(http.newWebSocketBuilder()
					.buildAsync(URI.create("ws://127.0.0.1:" + this.ports.get(node) + "/ws"), new Receiver(node)));
			}
			for (CompletableFuture<WebSocket> socket : batch) {
				sockets.add(socket.get(60, TimeUnit.SECONDS));
			}
		}
		log("%s: %d clients connected over %d servers", this.label, clients, this.ports.size());
		long warmupSent = send(sockets, nodes, rate, warmup);
		this.measuring = true;
		long started = System.nanoTime();
		long sent = send(sockets, nodes, rate, duration);
		Thread.sleep(1000);
		this.measuring = false;
		double seconds = (System.nanoTime() - started) / 1e9;
		System.out.printf(
				"CLUSTER label=%s servers=%d clients=%d rate=%d broadcasts=%d broadcasts_total=%d delivered_per_s=%.0f local_p50_ms=%.2f local_p99_ms=%.2f remote_p50_ms=%.2f remote_p99_ms=%.2f added_p50_ms=%.2f added_p99_ms=%.2f local_count=%d remote_count=%d%n",
				this.label, this.ports.size(), clients, rate, sent, warmupSent + sent, this.delivered.get() / seconds,
				percentile(this.local, 0.50), percentile(this.local, 0.99), percentile(this.remote, 0.50),
				percentile(this.remote, 0.99), percentile(this.remote, 0.50) - percentile(this.local, 0.50),
				percentile(this.remote, 0.99) - percentile(this.local, 0.99), count(this.local), count(this.remote));
		for (WebSocket socket : sockets) {
			socket.abort();
		}
		executor.shutdownNow();
	}

	/**
	 * Send broadcasts at a fixed rate from clients of every server in turn.
	 * @return the number of broadcasts sent
	 */
	private long send(List<WebSocket> sockets, List<Integer> nodes, int rate, Duration duration) {
		long interval = 1_000_000_000L / rate;
		long end = System.nanoTime() + duration.toNanos();
		long next = System.nanoTime();
		long sent = 0;
		while (next < end) {
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			int index = (int) (sent % sockets.size());
			WebSocket socket = sockets.get(index);
			String message = "{\"type\":\"broadcast\",\"payload\":{\"n\":" + nodes.get(index) + ",\"t\":"
					+ System.nanoTime() + "}}";
			socket.sendText(message, true);
			sent++;
			next += interval;
		}
		return sent;
	}

	private static double percentile(AtomicLongArray histogram, double quantile) {
		long total = count(histogram);
		if (total == 0) {
			return Double.NaN;
		}
		long rank = (long) Math.ceil(total * quantile);
		long seen = 0;
		for (int i = 0; i < histogram.length(); i++) {
			seen += histogram.get(i);
			if (seen >= rank) {
				return (i + 0.5) * BUCKET_NANOS / 1e6;
			}
		}
		return Double.NaN;
	}

	private static long count(AtomicLongArray histogram) {
		long total = 0;
		for (int i = 0; i < histogram.length(); i++) {
			total += histogram.get(i);
		}
		return total;
	}

	private static void log(String format, Object... args) {
		System.err.printf(format + "%n", args);
	}

	/**
	 * Sorts one client's broadcasts into local and cross-node deliveries.
	 */
	private final class Receiver implements WebSocket.Listener {

		private final int node;

		private final StringBuilder partial = new StringBuilder();

		Receiver(int node) {
			this.node = node;
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			long now = System.nanoTime();
			this.partial.append(data);
			if (last) {
				String text = this.partial.toString();
				this.partial.setLength(0);
				record(text, now);
			}
			webSocket.request(1);
			return null;
		}

		private void record(String text, long now) {
			if (!ClusterLoad.this.measuring || !text.startsWith("{\"type\":\"broadcast\"")) {
				return;
			}
			int n = text.indexOf("\"n\":");
			int t = text.indexOf("\"t\":");
			if (n < 0 || t < 0) {
				return;
			}
			int sender = Integer.parseInt(text.substring(n + 4, text.indexOf(',', n)));
			long sentAt = Long.parseLong(text.substring(t + 4, text.indexOf('}', t)));
			int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, (now - sentAt) / BUCKET_NANOS));
			((sender == this.node) ? ClusterLoad.this.local : ClusterLoad.this.remote).incrementAndGet(bucket);
			ClusterLoad.this.delivered.incrementAndGet();
		}

	}

}
