package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 * sender received the result), delivered messages per second, missing and extra messages,
 * data frames received per message and, given {@code --pid}, the server's CPU time and
 * write system calls per delivered message.
 * <p>
 * {@code --mode=idle} opens idle connections and prints a {@code MEMORY} line with the
 * server's heap (after a full GC) and native memory per connection, first as the server
 * started ({@code phase=cold}), then, unless {@code --warm=false}, after closing them and
 * opening as many again ({@code phase=warm}); it needs {@code --pid} and a server started
 * with {@code -XX:NativeMemoryTracking=summary} and a fixed heap.
 * <p>
 * {@code --mode=churn} opens {@code batch} connections at once, closes them, and repeats,
 * and prints a {@code CHURN} line with the server's CPU time per connection over the
 * first cycles ({@code phase=cold}) and over further cycles after a warm-up
 * ({@code phase=warm}); it needs {@code --pid}.
 * <p>
 * {@code --mode=cluster} spreads {@code clients} (1000) over the servers at {@code ports}
 * (19680,19681,19682), sends {@code rate} (1000) broadcasts per second from clients of
 * every server in turn for {@code seconds} (10) after {@code warmup-seconds} (3), and
 * prints a {@code CLUSTER} line with the latency of local and cross-node deliveries and
 * the delivered messages per second (see {@link ClusterLoad}).
 * <p>
 * {@code --mode=storm} starts {@code clients} connects at once and prints a {@code STORM}
 * line with the time until all were open and the connects that failed, for the server as
 * it started ({@code phase=cold}) and, unless {@code --warm=false}, again after closing
 * them ({@code phase=warm}).
 * <p>
 * {@code --mode=slow-consumer} connects {@code clients} clients (1000) and runs two
 * broadcast steps of {@code broadcasts} (2000), one with every client reading and one in
 * which one client has stopped reading (first if {@code stalled-first}), and prints a
 * {@code SLOW} line per step and a {@code STALLED} line with how the server ended the
 * stalled client, waiting up to {@code close-wait} seconds (15) after the step for it.
 * <p>
 * {@code --mode=churn-heap} opens and closes {@code connections} connections (10000) in
 * batches, {@code abrupt-fraction} (0.33) of them with a TCP reset, after
 * {@code warmup-connections} (2000), and prints a {@code CHURNHEAP} line with the
 * sessions and room entries left and the server's heap after a full GC before and after;
 * it needs {@code --pid}.
 * <p>
 * {@code --mode=dead-peer} times how long the server takes to notice {@code clients}
 * (100) peers that stop answering pings, and as many whose connections are reset, and
 * prints a {@code DEADPEER} line for each kind. The three modes read the Tutti server's
 * {@code /shootout/hub}.
 * <p>
 * Options ({@code --name=value}): {@code host} (127.0.0.1; loopback only), {@code port}
 * (8080), {@code path} (/ws), {@code label} (server), {@code pid},
 * {@code source-addresses} (0; bind the client sockets to that many loopback addresses in
 * turn, 127.0.0.2 and on, for more connections than one address has ports), {@code steps}
 * (1000,2000,3000), {@code broadcasts} (100), {@code concurrency} (4),
 * {@code warmup-broadcasts} (300, run at the first step's client count),
 * {@code connect-concurrency} (100), {@code timeout} (broadcast timeout in seconds, 10;
 * storm timeout in seconds, 60), {@code message-size} (0; pad every broadcast to that
 * many bytes), {@code clients} (idle mode 2000, storm mode 10000), {@code idle-seconds}
 * (idle mode, 3), {@code warm} (idle and storm modes, true), {@code batch} (churn, 200),
 * {@code cold-cycles} (churn, 5), {@code warmup-connections} (churn, 5000),
 * {@code cycles} (churn, 25), {@code abrupt-fraction} (churn, 0; the share of connections
 * closed without a close frame), {@code browser-headers} (false; send the headers a
 * browser sends with every handshake, among them an {@code Origin} of the server's own).
 */
public final class LoadGenerator {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(2);

	private final Map<String, String> options;

	private final InetSocketAddress address;

	private final List<InetAddress> sources = new ArrayList<>();

	private final String label;

	private final @Nullable ServerProbe probe;

	private LoadGenerator(Map<String, String> options) throws IOException {
		this.options = options;
		InetAddress host = InetAddress.getByName(option("host", "127.0.0.1"));
		if (!host.isLoopbackAddress()) {
			throw new IllegalArgumentException("Only loopback addresses are allowed, not " + host);
		}
		this.address = new InetSocketAddress(host, Integer.parseInt(option("port", "8080")));
		int sourceAddresses = Integer.parseInt(option("source-addresses", "0"));
		if (sourceAddresses < 0 || sourceAddresses > 250) {
			throw new IllegalArgumentException("Expected 0 to 250 source addresses, got " + sourceAddresses);
		}
		for (int i = 0; i < sourceAddresses; i++) {
			this.sources.add(InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) (2 + i) }));
		}
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
		if (mode.equals("cluster")) {
			generator.cluster();
			return;
		}
		try (ClientPool pool = new ClientPool(generator.address, generator.option("path", "/ws"), generator.sources)) {
			if (Boolean.parseBoolean(generator.option("browser-headers", "false"))) {
				pool.browserHeaders();
			}
			switch (mode) {
				case "broadcast" -> generator.broadcastSteps(pool);
				case "idle" -> generator.idleConnections(pool);
				case "churn" -> generator.churn(pool);
				case "storm" -> generator.storm(pool);
				case "slow-consumer" -> generator.slowConsumer(pool);
				case "churn-heap" -> generator.churnHeap(pool);
				case "dead-peer" -> generator.deadPeers(pool);
				default -> throw new IllegalArgumentException("Unknown mode '" + mode + "'");
			}
		}
	}

	private void broadcastSteps(ClientPool pool) throws IOException {
		int[] steps = Arrays.stream(option("steps", "1000,2000,3000").split(","))
			.map(String::trim)
			.mapToInt(Integer::parseInt)
			.toArray();
		int broadcasts = Integer.parseInt(option("broadcasts", "100"));
		int concurrency = Integer.parseInt(option("concurrency", "4"));
		int warmup = Integer.parseInt(option("warmup-broadcasts", "300"));
		int connectConcurrency = Integer.parseInt(option("connect-concurrency", "100"));
		Duration timeout = Duration.ofSeconds(Long.parseLong(option("timeout", "10")));
		ShootoutClients shootout = new ShootoutClients(pool);
		shootout.messageSize(Integer.parseInt(option("message-size", "0")));
		for (int i = 0; i < steps.length; i++) {
			long started = System.nanoTime();
			pool.connect(steps[i], connectConcurrency, CONNECT_TIMEOUT);
			log("%s: %d clients connected in %d ms", this.label, pool.size(),
					(System.nanoTime() - started) / 1_000_000);
			if (i == 0) {
				if (!shootout.verifyEcho(Duration.ofSeconds(10))) {
					throw new IOException("No echo from " + this.label + " within 10 s");
				}
				log("%s: echo ok", this.label);
				if (warmup > 0) {
					StepResult result = shootout.broadcast(warmup, concurrency, timeout, this.probe);
					log("%s", result.format(this.label + "-warmup").replace("RESULT ", "WARMUP "));
				}
			}
			collectGarbage();
			pool.idle(Duration.ofMillis(500));
			StepResult result = shootout.broadcast(broadcasts, concurrency, timeout, this.probe);
			System.out.println(result.format(this.label));
		}
		log("%s: %d connections closed by the server, %d unexpected messages", this.label, pool.closedByServer(),
				shootout.unexpectedMessages());
	}

	private void cluster() throws Exception {
		List<Integer> ports = Arrays.stream(option("ports", "19680,19681,19682").split(","))
			.map(String::trim)
			.map(Integer::valueOf)
			.toList();
		new ClusterLoad(ports, this.label).run(Integer.parseInt(option("clients", "1000")),
				Integer.parseInt(option("rate", "1000")),
				Duration.ofSeconds(Long.parseLong(option("warmup-seconds", "3"))),
				Duration.ofSeconds(Long.parseLong(option("seconds", "10"))));
	}

	private void idleConnections(ClientPool pool) throws IOException {
		IdleMemory idle = new IdleMemory(pool, requireProbe("Idle"), this.label,
				Integer.parseInt(option("connect-concurrency", "100")),
				Duration.ofSeconds(Long.parseLong(option("idle-seconds", "3"))));
		idle.run(Integer.parseInt(option("clients", "2000")), Boolean.parseBoolean(option("warm", "true")));
	}

	private void churn(ClientPool pool) throws IOException {
		ConnectionChurn churn = new ConnectionChurn(pool, requireProbe("Churn"), this.label,
				Integer.parseInt(option("batch", "200")), Double.parseDouble(option("abrupt-fraction", "0")));
		churn.run(Integer.parseInt(option("cold-cycles", "5")), Integer.parseInt(option("warmup-connections", "5000")),
				Integer.parseInt(option("cycles", "25")));
		log("%s: %d connections closed by the server, %d unexpected messages", this.label, pool.closedByServer(),
				pool.unexpectedMessages());
	}

	private void storm(ClientPool pool) throws IOException {
		ReconnectStorm storm = new ReconnectStorm(pool, this.probe, this.label);
		storm.run(Integer.parseInt(option("clients", "10000")),
				Duration.ofSeconds(Long.parseLong(option("timeout", "60"))),
				Boolean.parseBoolean(option("warm", "true")));
	}

	private void slowConsumer(ClientPool pool) throws IOException {
		ShootoutClients shootout = new ShootoutClients(pool);
		SlowConsumer slow = new SlowConsumer(pool, shootout, this.probe, new HubStatsClient(this.address), this.label);
		slow.run(Integer.parseInt(option("clients", "1000")), Integer.parseInt(option("warmup-broadcasts", "300")),
				Integer.parseInt(option("broadcasts", "2000")), Integer.parseInt(option("concurrency", "4")),
				Duration.ofSeconds(Long.parseLong(option("timeout", "10"))),
				Boolean.parseBoolean(option("stalled-first", "false")),
				Duration.ofSeconds(Long.parseLong(option("close-wait", "15"))));
	}

	private void churnHeap(ClientPool pool) throws IOException {
		ChurnHeap churn = new ChurnHeap(pool, requireProbe("Churn-heap"), new HubStatsClient(this.address), this.label,
				Integer.parseInt(option("batch", "200")), Double.parseDouble(option("abrupt-fraction", "0.33")));
		churn.run(Integer.parseInt(option("warmup-connections", "2000")),
				Integer.parseInt(option("connections", "10000")));
	}

	private void deadPeers(ClientPool pool) throws IOException {
		DeadPeers dead = new DeadPeers(pool, new HubStatsClient(this.address), this.label);
		dead.run(Integer.parseInt(option("clients", "100")),
				Duration.ofSeconds(Long.parseLong(option("timeout", "120"))));
	}

	private ServerProbe requireProbe(String mode) {
		ServerProbe probe = this.probe;
		if (probe == null) {
			throw new IllegalArgumentException(mode + " mode needs --pid of the server");
		}
		return probe;
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
