package dev.tutti.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tutti.CloseStatus;
import dev.tutti.Codec;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client for integration tests, built on the JDK's
 * {@link java.net.http.WebSocket}. It reads everything the server sends, reassembles
 * partial messages, answers pings and keeps whole messages, text and binary, in one queue
 * in arrival order; each {@code await} method takes the next one.
 *
 * <pre class="code">
 * try (TuttiTestClient client = TuttiTestClient.connect(URI.create("ws://localhost:" + port + "/ws"))) {
 *     client.sendText("hello");
 *     assertThat(client.awaitText()).isEqualTo("hello");
 * }
 * </pre>
 *
 * Use {@link #builder(URI)} to add handshake headers, query parameters or subprotocols, a
 * {@link Codec} for JSON messages, or other timeouts.
 * <p>
 * The client depends on no test framework. What a test awaits and does not happen within
 * the timeout ({@link #DEFAULT_TIMEOUT} unless the builder sets others) fails with an
 * {@link AssertionError} whose message names what was awaited, the server and what
 * happened instead. A handshake the server does not accept throws a
 * {@link HandshakeRefusedException} with the HTTP status; an I/O failure throws an
 * {@link UncheckedIOException}. A thread interrupted while waiting keeps its interrupt
 * status and gets an {@link AssertionError}.
 * <p>
 * Thread-safe: messages sent from several threads are written one at a time, and each
 * received message is taken by exactly one {@code await} call.
 */
public final class TuttiTestClient implements AutoCloseable {

	/** How long the client waits for anything unless its builder sets other timeouts. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** The one JDK client every test client connects through. */
	static final HttpClient HTTP = HttpClient.newHttpClient();

	private final URI uri;

	private final WebSocket webSocket;

	private final Inbox inbox;

	private final @Nullable Codec codec;

	private final String messageTypeProperty;

	private final Duration timeout;

	private final Object sendLock = new Object();

	TuttiTestClient(URI uri, WebSocket webSocket, Inbox inbox, @Nullable Codec codec, String messageTypeProperty,
			Duration timeout) {
		this.uri = uri;
		this.webSocket = webSocket;
		this.inbox = inbox;
		this.codec = codec;
		this.messageTypeProperty = messageTypeProperty;
		this.timeout = timeout;
	}

	/**
	 * Connect with the defaults and wait for the handshake to complete.
	 * @param uri the server's WebSocket URI, such as {@code ws://localhost:8080/ws}
	 * @return the connected client
	 * @throws IllegalArgumentException if the URI's scheme is not {@code ws} or
	 * {@code wss}
	 * @throws HandshakeRefusedException if the server does not accept the handshake
	 * @throws UncheckedIOException if the client cannot connect
	 * @throws AssertionError if the handshake does not complete within
	 * {@link #DEFAULT_TIMEOUT}
	 */
	public static TuttiTestClient connect(URI uri) {
		return builder(uri).connect();
	}

	/**
	 * Connect with the defaults without waiting for the handshake. The future may
	 * complete on a thread of the JDK's HTTP client: make calls that wait, such as
	 * {@code await} methods or {@link #close()}, after {@code join()} or in a stage with
	 * an executor of its own ({@code thenApplyAsync}).
	 * @param uri the server's WebSocket URI, such as {@code ws://localhost:8080/ws}
	 * @return a future completed with the connected client, or exceptionally as
	 * {@link #connect(URI)} throws
	 * @throws IllegalArgumentException if the URI's scheme is not {@code ws} or
	 * {@code wss}
	 */
	public static CompletableFuture<TuttiTestClient> connectAsync(URI uri) {
		return builder(uri).connectAsync();
	}

	/**
	 * Start building a client.
	 * @param uri the server's WebSocket URI, such as {@code ws://localhost:8080/ws}
	 * @return a new builder
	 * @throws IllegalArgumentException if the URI's scheme is not {@code ws} or
	 * {@code wss}
	 */
	public static TuttiTestClientBuilder builder(URI uri) {
		return new TuttiTestClientBuilder(uri);
	}

	/**
	 * Return the URI the client connected to, with the query parameters its builder
	 * added.
	 * @return the URI
	 */
	public URI uri() {
		return this.uri;
	}

	/**
	 * Return the subprotocol the server chose.
	 * @return the subprotocol, or an empty string if none was chosen
	 */
	public String subprotocol() {
		return this.webSocket.getSubprotocol();
	}

	/**
	 * Send a text message and wait until it is written.
	 * @param text the message
	 * @throws IllegalStateException if the connection is closed
	 * @throws UncheckedIOException if the message cannot be written
	 * @throws AssertionError if writing does not complete within the timeout
	 */
	public void sendText(String text) {
		Objects.requireNonNull(text, "text");
		synchronized (this.sendLock) {
			requireOutputOpen("a text message");
			complete(this.webSocket.sendText(text, true), "a text message");
		}
	}

	/**
	 * Send a binary message and wait until it is written.
	 * @param data the message; the client does not keep the array
	 * @throws IllegalStateException if the connection is closed
	 * @throws UncheckedIOException if the message cannot be written
	 * @throws AssertionError if writing does not complete within the timeout
	 */
	public void sendBinary(byte[] data) {
		Objects.requireNonNull(data, "data");
		synchronized (this.sendLock) {
			requireOutputOpen("a binary message");
			complete(this.webSocket.sendBinary(ByteBuffer.wrap(data.clone()), true), "a binary message");
		}
	}

	/**
	 * Encode a value with the client's codec and send it as a text message, waiting until
	 * it is written.
	 * @param value the value
	 * @throws IllegalStateException if the client has no codec or the connection is
	 * closed
	 * @throws RuntimeException if the codec cannot encode the value
	 * @throws UncheckedIOException if the message cannot be written
	 * @throws AssertionError if writing does not complete within the timeout
	 */
	public void sendJson(Object value) {
		sendText(requireCodec().encode(value));
	}

	/**
	 * Take the next message, which must be a text message, waiting for it if none has
	 * arrived.
	 * @return the text
	 * @throws AssertionError if no message arrives within the timeout, the next message
	 * is binary, or the connection ends first
	 */
	public String awaitText() {
		return nextText("a text message");
	}

	/**
	 * Take the next message, which must be a binary message, waiting for it if none has
	 * arrived.
	 * @return the data
	 * @throws AssertionError if no message arrives within the timeout, the next message
	 * is text, or the connection ends first
	 */
	public byte[] awaitBinary() {
		String expected = "a binary message";
		Inbox.Message message = this.inbox.next(expected, this.timeout);
		byte[] binary = message.binary();
		if (binary == null) {
			throw this.inbox.failure(expected, "received " + message);
		}
		return binary;
	}

	/**
	 * Take the next message, which must be a text message, and decode it with the
	 * client's codec.
	 * @param <T> the type to decode to
	 * @param type the type to decode to
	 * @return the decoded value
	 * @throws IllegalStateException if the client has no codec
	 * @throws AssertionError if no message arrives within the timeout, the next message
	 * is binary or cannot be decoded to the type, or the connection ends first
	 */
	public <T> T awaitJson(Class<T> type) {
		Codec codec = requireCodec();
		String expected = "a JSON " + type.getSimpleName();
		return decode(codec, nextText(expected), type, expected);
	}

	/**
	 * Take the next text message whose message type property (by default {@code type}, as
	 * the hub reads it) equals a name, and decode it with the client's codec. Messages
	 * before it, of other types, binary or not JSON, are skipped: taken and discarded.
	 * @param <T> the type to decode to
	 * @param typeName the value of the message type property, such as {@code chat}
	 * @param type the type to decode to
	 * @return the decoded value
	 * @throws IllegalStateException if the client has no codec
	 * @throws AssertionError if no such message arrives within the timeout, it cannot be
	 * decoded to the type, or the connection ends first; the message lists the skipped
	 * messages
	 */
	public <T> T awaitJson(String typeName, Class<T> type) {
		Codec codec = requireCodec();
		String expected = "a JSON message with " + this.messageTypeProperty + " '" + typeName + "'";
		Inbox.Message message = this.inbox.next(expected, this.timeout, (candidate) -> {
			String text = candidate.text();
			return text != null && typeName.equals(readType(codec, text));
		});
		return decode(codec, Objects.requireNonNull(message.text()), type, expected);
	}

	/**
	 * Wait for the given time and fail if a message is waiting or arrives meanwhile.
	 * Returns early, without failing, if the connection ends, since no message can arrive
	 * after that. A message that fails the call stays queued.
	 * @param duration how long to wait
	 * @throws AssertionError if a message is waiting or arrives
	 */
	public void awaitNoMessage(Duration duration) {
		this.inbox.expectNone(duration);
	}

	/**
	 * Return how many pings the server has sent. The client answers each with a pong.
	 * @return the count
	 */
	public int pingsReceived() {
		return this.inbox.pings();
	}

	/**
	 * Whether the connection is open: no close frame has been sent or received, and it
	 * was neither dropped nor broken.
	 * @return {@code true} while the connection is open
	 */
	public boolean isOpen() {
		return this.inbox.closeStatus() == null && !this.webSocket.isOutputClosed();
	}

	/**
	 * Close the connection normally (1000): see {@link #close(int, String)}. Does nothing
	 * if the connection has already ended, so it is safe in a {@code finally} block or a
	 * try-with-resources statement.
	 */
	@Override
	public void close() {
		close(WebSocket.NORMAL_CLOSURE, "");
	}

	/**
	 * Close the connection: send a close frame, unless one was sent already, and wait for
	 * the server's answer. If the server does not answer within the timeout, drop the
	 * connection, and {@link #awaitClose()} returns 1006. Messages that arrived before
	 * the server's answer can still be awaited. Does nothing beyond that if the
	 * connection has already ended.
	 * @param code the close code, such as 1000 or one between 3000 and 4999
	 * @param reason the reason, at most 123 bytes in UTF-8
	 * @throws IllegalArgumentException if the JDK client does not send such a code or
	 * reason
	 */
	public void close(int code, String reason) {
		synchronized (this.sendLock) {
			if (!this.webSocket.isOutputClosed()) {
				try {
					complete(this.webSocket.sendClose(code, reason), "a close frame");
				}
				catch (UncheckedIOException | AssertionError ex) {
					// Broken or stalled: the wait below ends the connection either way
				}
			}
		}
		try {
			this.inbox.awaitEnd(this.timeout);
		}
		catch (AssertionError ex) {
			end(CloseStatus.NO_CLOSE_FRAME
				.withReason("No answer to the close frame within " + Inbox.format(this.timeout)));
		}
	}

	/**
	 * Wait for the connection to end.
	 * @return the close status the server sent, or 1006
	 * ({@link CloseStatus#NO_CLOSE_FRAME} with a reason saying why) if the connection
	 * ended without one: dropped, broken, or closed by this client without an answer
	 * @throws AssertionError if the connection does not end within the timeout
	 */
	public CloseStatus awaitClose() {
		return this.inbox.awaitEnd(this.timeout);
	}

	/**
	 * Wait for the connection to end and check its close code.
	 * @param code the expected close code, such as 1008
	 * @return the close status, to check its reason
	 * @throws AssertionError if the connection does not end within the timeout, or ends
	 * with another code
	 */
	public CloseStatus assertClosedWith(int code) {
		CloseStatus status = awaitClose();
		if (status.code() != code) {
			throw this.inbox.failure("a close with code " + code, "the connection ended with " + status);
		}
		return status;
	}

	/**
	 * End the connection abruptly, without a close frame, as a crashed browser tab or a
	 * lost network would. The server sees the connection end without a close frame
	 * (1006); {@link #awaitClose()} returns 1006 unless the connection had already ended.
	 */
	public void drop() {
		end(CloseStatus.NO_CLOSE_FRAME.withReason("Dropped by the client"));
	}

	@Override
	public String toString() {
		CloseStatus status = this.inbox.closeStatus();
		return "TuttiTestClient[" + this.uri + ((status != null) ? ", ended with " + status : ", open") + "]";
	}

	private void end(CloseStatus status) {
		this.inbox.end(status);
		this.webSocket.abort();
	}

	private String nextText(String expected) {
		Inbox.Message message = this.inbox.next(expected, this.timeout);
		String text = message.text();
		if (text == null) {
			throw this.inbox.failure(expected, "received " + message);
		}
		return text;
	}

	private <T> T decode(Codec codec, String text, Class<T> type, String expected) {
		try {
			return codec.decode(text, type);
		}
		catch (RuntimeException ex) {
			AssertionError error = this.inbox.failure(expected,
					"decoding " + new Inbox.Message(text, null) + " to " + type.getName() + " failed: " + ex);
			error.initCause(ex);
			throw error;
		}
	}

	private @Nullable String readType(Codec codec, String text) {
		try {
			return codec.readDiscriminator(text, this.messageTypeProperty);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private Codec requireCodec() {
		Codec codec = this.codec;
		if (codec == null) {
			throw new IllegalStateException(
					"No codec for JSON messages: configure one with TuttiTestClient.builder(uri).codec(codec)");
		}
		return codec;
	}

	private void requireOutputOpen(String message) {
		if (this.webSocket.isOutputClosed()) {
			CloseStatus status = this.inbox.closeStatus();
			throw new IllegalStateException("Cannot send " + message + " to " + this.uri + ": the connection "
					+ ((status != null) ? "ended with " + status : "is closing"));
		}
	}

	private void complete(CompletableFuture<?> sending, String message) {
		try {
			sending.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Expected " + message + " to be written to " + this.uri + " within "
					+ Inbox.format(this.timeout) + ", but it was not", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while sending " + message + " to " + this.uri, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof IOException io) {
				throw new UncheckedIOException("Could not send " + message + " to " + this.uri, io);
			}
			throw unchecked(cause);
		}
	}

	static RuntimeException unchecked(@Nullable Throwable failure) {
		if (failure instanceof RuntimeException ex) {
			return ex;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		return new IllegalStateException(failure);
	}

}
