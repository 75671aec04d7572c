package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A load generator for the websocket-shootout protocol: one process, one thread, one
 * selector, many WebSocket connections to a server on this machine.
 * <p>
 * {@code --mode=broadcast} (the default) connects clients in steps, sends broadcasts from
 * random clients a few at a time and prints, per step, a {@code RESULT} line with the
 * round trip percentiles (from sending a broadcast until every client received it and the
 * sender received the result), delivered messages per second, missing and extra messages
 * and, given {@code --pid}, the server's CPU time per delivered message.
 * <p>
 * {@code --mode=idle} opens idle connections and prints a {@code MEMORY} line with the
 * server's heap (after a full GC) and native memory per connection; it needs
 * {@code --pid} and a server started with {@code -XX:NativeMemoryTracking=summary} and a
 * fixed heap.
 * <p>
 * Options ({@code --name=value}): {@code host} (127.0.0.1; loopback only), {@code port}
 * (8080), {@code path} (/ws), {@code label} (server), {@code pid}, {@code steps}
 * (1000,2000,3000), {@code broadcasts} (100), {@code concurrency} (4),
 * {@code warmup-broadcasts} (300, run at the first step's client count),
 * {@code connect-concurrency} (100), {@code timeout} (broadcast timeout in seconds, 10),
 * {@code payload-padding} (0; that many more bytes in every broadcast's payload),
 * {@code clients} (idle mode, 2000), {@code idle-seconds} (idle mode, 3).
 */
public final class LoadGenerator {

	private final Map<String, String> options;

	private final InetSocketAddress address;

	private final String label;

	private final @Nullable ServerProbe probe;

	private LoadGenerator(Map<String, String> options) throws IOException {
		this.options = options;
		InetAddress host = InetAddress.getByName(option("host", "127.0.0.1"));
		if (!host.isLoopbackAddress()) {
			throw new IllegalArgumentException("Only loopback addresses are allowed, not " + host);
		}
		this.address = new InetSocketAddress(host, Integer.parseInt(option("port", "8080")));
		this.label = option("label", "server");
		String pid = this.options.get("pid");
		this.probe = (pid != null) ? new ServerProbe(Long.parseLong(pid)) : null;
	}

	/**
	 * Run the load generator.
	 * @param args options as {@code --name=value}
	 * @throws Exception if the server cannot be reached or a measurement fails
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		LoadGenerator generator = new LoadGenerator(options);
		String mode = options.getOrDefault("mode", "broadcast");
		switch (mode) {
			case "broadcast" -> generator.broadcastSteps();
			case "idle" -> generator.idleConnections();
			default -> throw new IllegalArgumentException("Unknown mode '" + mode + "'");
		}
	}

	private void broadcastSteps() throws IOException {
		int[] steps = Arrays.stream(option("steps", "1000,2000,3000").split(","))
			.map(String::trim)
			.mapToInt(Integer::parseInt)
			.toArray();
		int broadcasts = Integer.parseInt(option("broadcasts", "100"));
		int concurrency = Integer.parseInt(option("concurrency", "4"));
		int warmup = Integer.parseInt(option("warmup-broadcasts", "300"));
		int connectConcurrency = Integer.parseInt(option("connect-concurrency", "100"));
		Duration timeout = Duration.ofSeconds(Long.parseLong(option("timeout", "10")));
		Duration connectTimeout = Duration.ofMinutes(2);
		try (ClientPool pool = new ClientPool(this.address, option("path", "/ws"))) {
			pool.padBroadcasts(Integer.parseInt(option("payload-padding", "0")));
			for (int i = 0; i < steps.length; i++) {
				long started = System.nanoTime();
				pool.connect(steps[i], connectConcurrency, connectTimeout);
				log("%s: %d clients connected in %d ms", this.label, pool.size(),
						(System.nanoTime() - started) / 1_000_000);
				if (i == 0) {
					if (!pool.verifyEcho(Duration.ofSeconds(10))) {
						throw new IOException("No echo from " + this.label + " within 10 s");
					}
					log("%s: echo ok", this.label);
					if (warmup > 0) {
						StepResult result = pool.broadcast(warmup, concurrency, timeout, this.probe);
						log("%s", result.format(this.label + "-warmup").replace("RESULT ", "WARMUP "));
					}
				}
				collectGarbage();
				pool.idle(Duration.ofMillis(500));
				StepResult result = pool.broadcast(broadcasts, concurrency, timeout, this.probe);
				System.out.println(result.format(this.label));
			}
			log("%s: %d connections closed by the server, %d unexpected messages", this.label, pool.closedByServer(),
					pool.unexpectedMessages());
		}
	}

	private void idleConnections() throws IOException {
		ServerProbe probe = this.probe;
		if (probe == null) {
			throw new IllegalArgumentException("Idle mode needs --pid of the server");
		}
		int clients = Integer.parseInt(option("clients", "2000"));
		int connectConcurrency = Integer.parseInt(option("connect-concurrency", "100"));
		Duration idle = Duration.ofSeconds(Long.parseLong(option("idle-seconds", "3")));
		Duration connectTimeout = Duration.ofMinutes(2);
		try (ClientPool pool = new ClientPool(this.address, option("path", "/ws"))) {
			// The same number of connections once first, so that the measured round finds
			// the code compiled and the container's thread pool grown.
			pool.connect(clients, connectConcurrency, connectTimeout);
			pool.idle(Duration.ofSeconds(1));
			pool.disconnectAll();
			pool.idle(Duration.ofSeconds(1));
			ServerProbe.Memory before = probe.memory();
			pool.connect(clients, connectConcurrency, connectTimeout);
			pool.idle(idle);
			ServerProbe.Memory after = probe.memory();
			int connected = pool.size();
			double heap = (after.heapUsed() - before.heapUsed()) / (double) connected;
			double nativeMemory = (after.nativeCommitted() - before.nativeCommitted()) / (double) connected;
			System.out.println(String.format(Locale.ROOT,
					"MEMORY server=%s clients=%d heap_before_kb=%d heap_after_kb=%d native_before_kb=%d "
							+ "native_after_kb=%d heap_per_conn_kb=%.1f native_per_conn_kb=%.1f per_conn_kb=%.1f",
					this.label, connected, before.heapUsed(), after.heapUsed(), before.nativeCommitted(),
					after.nativeCommitted(), heap, nativeMemory, heap + nativeMemory));
		}
	}

	/**
	 * Run a full GC in the server, if its pid is known, and in this process, so that a
	 * step's measurement does not pay for collecting what connecting its clients left
	 * (with the serial collector on one CPU, such young collections paused the server for
	 * 100 to 250 ms).
	 */
	private void collectGarbage() throws IOException {
		ServerProbe probe = this.probe;
		if (probe != null) {
			probe.collectGarbage();
		}
		System.gc();
	}

	private String option(String name, String defaultValue) {
		return this.options.getOrDefault(name, defaultValue);
	}

	private static void log(String format, Object... args) {
		System.out.println(String.format(Locale.ROOT, format, args));
	}

}
