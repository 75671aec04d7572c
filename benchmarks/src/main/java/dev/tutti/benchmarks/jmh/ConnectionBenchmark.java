package dev.tutti.benchmarks.jmh;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tutti.HandshakeRequest;
import dev.tutti.Hub;
import dev.tutti.transport.ConnectionListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Tutti's own work for one connection, from handshake to disconnect, without the
 * container's: run the handshake of a request with browser-like headers, open the session
 * over a {@link NoopConnection}, and report the peer's close. Measured with
 * {@code -prof gc}, this is the time and allocation the hub adds to every connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectionBenchmark {

	private static final URI ENDPOINT = URI.create("ws://localhost:8080/ws?room=lobby");

	private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50000);

	/** The headers a browser sends with a WebSocket handshake. */
	private static final Map<String, List<String>> HEADERS = Map
		.of("host", List.of("localhost:8080"), "user-agent", List
			.of("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
				"upgrade", List.of("websocket"), "connection", List.of("Upgrade"), "sec-websocket-key",
				List.of("dGhlIHNhbXBsZSBub25jZQ=="), "sec-websocket-version", List.of("13"), "origin",
				List.of("http://localhost:8080"), "accept-encoding", List.of("gzip, deflate, br"), "accept-language",
				List.of("en-US,en;q=0.9"), "cookie", List.of("SESSION=5f1c2e7a9b"));

	private Hub hub;

	/**
	 * Create a hub whose handlers do nothing.
	 */
	@Setup(Level.Trial)
	public void createHub() {
		this.hub = Hubs.create();
	}

	/**
	 * Close the hub.
	 */
	@TearDown(Level.Trial)
	public void closeHub() {
		this.hub.close();
	}

	/**
	 * One connection's life: handshake, open, close by the peer.
	 * @return the session's listener, so that nothing is optimized away
	 */
	@Benchmark
	public ConnectionListener connectAndClose() {
		HandshakeRequest request = new HandshakeRequest(ENDPOINT, HEADERS, null, PEER);
		ConnectionListener listener = this.hub.handshake(request).open(new NoopConnection());
		listener.onClosed(1000, "");
		return listener;
	}

}
