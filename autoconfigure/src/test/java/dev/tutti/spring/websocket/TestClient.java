package dev.tutti.spring.websocket;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.CloseStatus;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-behaved WebSocket client on {@link java.net.http.WebSocket}: reads everything,
 * answers pings (the JDK does so by itself) and collects whole messages in queues. Each
 * client carries a unique {@code client} query parameter so a test can find its session.
 */
final class TestClient implements WebSocket.Listener {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final String id = UUID.randomUUID().toString();

	private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();

	private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

	private final AtomicInteger pings = new AtomicInteger();

	private final StringBuilder textParts = new StringBuilder();

	private final ByteArrayOutputStream binaryParts = new ByteArrayOutputStream();

	private volatile @Nullable WebSocket webSocket;

	private TestClient() {
	}

	/**
	 * Connect and wait for the upgrade.
	 * @param port the server port
	 * @param path the endpoint path with an optional query string
	 * @return the connected client
	 */
	static TestClient connect(int port, String path) {
		return connectAsync(port, path, Map.of()).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	/**
	 * Start connecting.
	 * @param port the server port
	 * @param path the endpoint path with an optional query string
	 * @param headers extra handshake headers
	 * @return a stage completed with the client once upgraded, or exceptionally with
	 * {@link java.net.http.WebSocketHandshakeException} if refused
	 */
	static CompletableFuture<TestClient> connectAsync(int port, String path, Map<String, String> headers) {
		TestClient client = new TestClient();
		String separator = path.contains("?") ? "&" : "?";
		URI uri = URI.create("ws://localhost:" + port + path + separator + "client=" + client.id);
		WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
		headers.forEach(builder::header);
		return builder.buildAsync(uri, client).thenApply((webSocket) -> {
			client.webSocket = webSocket;
			return client;
		});
	}

	/**
	 * Return the value of the client's {@code client} query parameter.
	 * @return the id
	 */
	String id() {
		return this.id;
	}

	void send(String text) {
		webSocket().sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	void sendBinary(byte[] data) {
		webSocket().sendBinary(ByteBuffer.wrap(data), true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	/**
	 * Send a close frame; the server's answer completes {@link #closed()}.
	 * @param code the close code
	 * @param reason the reason
	 */
	void close(int code, String reason) {
		WebSocket webSocket = webSocket();
		if (!webSocket.isOutputClosed()) {
			webSocket.sendClose(code, reason).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		}
	}

	/**
	 * Close normally unless already closed, without waiting for the server.
	 */
	void closeQuietly() {
		WebSocket webSocket = this.webSocket;
		if (webSocket != null && !webSocket.isOutputClosed()) {
			webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null);
		}
	}

	/**
	 * Wait for the next whole text message.
	 * @return the message
	 */
	String receive() throws InterruptedException {
		String text = this.texts.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(text).as("text message received by client %s", this.id).isNotNull();
		return text;
	}

	/**
	 * Wait for the next whole binary message.
	 * @return the message
	 */
	byte[] receiveBinary() throws InterruptedException {
		byte[] data = this.binaries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(data).as("binary message received by client %s", this.id).isNotNull();
		return data;
	}

	BlockingQueue<String> texts() {
		return this.texts;
	}

	/**
	 * Return the close status received from the server, or 1006 if the connection failed.
	 * @return a stage completed when the connection is closed
	 */
	CompletableFuture<CloseStatus> closed() {
		return this.closed;
	}

	/**
	 * Wait for the connection to close.
	 * @return the close status received from the server
	 */
	CloseStatus awaitClose() {
		return this.closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	int pings() {
		return this.pings.get();
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.webSocket = webSocket;
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.textParts.append(data);
		if (last) {
			this.texts.add(this.textParts.toString());
			this.textParts.setLength(0);
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.binaryParts.writeBytes(bytes);
		if (last) {
			this.binaries.add(this.binaryParts.toByteArray());
			this.binaryParts.reset();
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		this.pings.incrementAndGet();
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(new CloseStatus(statusCode, reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.complete(CloseStatus.NO_CLOSE_FRAME.withReason(String.valueOf(error)));
	}

	private WebSocket webSocket() {
		WebSocket webSocket = this.webSocket;
		assertThat(webSocket).as("open web socket").isNotNull();
		return webSocket;
	}

}
