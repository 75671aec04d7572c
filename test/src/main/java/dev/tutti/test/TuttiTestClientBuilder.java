package dev.tutti.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import dev.tutti.Codec;
import dev.tutti.HubConfig;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link TuttiTestClient}: handshake headers, query parameters, subprotocols, a
 * codec for JSON messages and timeouts. Each {@code connect} call connects a new client
 * with the current settings.
 * <p>
 * Not thread-safe: configure a builder on one thread.
 */
public final class TuttiTestClientBuilder {

	private final URI uri;

	private final List<Map.Entry<String, String>> headers = new ArrayList<>();

	private final List<String> queryParameters = new ArrayList<>();

	private final List<String> subprotocols = new ArrayList<>();

	private @Nullable Codec codec;

	private String messageTypeProperty = HubConfig.DEFAULT_MESSAGE_TYPE_PROPERTY;

	private Duration timeout = TuttiTestClient.DEFAULT_TIMEOUT;

	private Duration connectTimeout = TuttiTestClient.DEFAULT_TIMEOUT;

	TuttiTestClientBuilder(URI uri) {
		Objects.requireNonNull(uri, "uri");
		if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
			throw new IllegalArgumentException("WebSocket URI must start with ws: or wss:, was '" + uri + "'");
		}
		this.uri = uri;
	}

	/**
	 * Add a header to the opening handshake, such as {@code Origin} or
	 * {@code Authorization}. A browser sends no headers of the page's choosing, only its
	 * own, such as {@code Origin} and cookies: a test of what a browser does should not
	 * rely on others.
	 * @param name the header name
	 * @param value the header value
	 * @return this builder
	 * @throws IllegalArgumentException when connecting, if the JDK client sets the header
	 * itself, such as {@code Sec-WebSocket-Key}
	 */
	public TuttiTestClientBuilder header(String name, String value) {
		this.headers.add(Map.entry(name, value));
		return this;
	}

	/**
	 * Add a query parameter to the URI, encoded as UTF-8 (a space becomes {@code %20}).
	 * @param name the parameter name
	 * @param value the parameter value
	 * @return this builder
	 */
	public TuttiTestClientBuilder queryParameter(String name, String value) {
		this.queryParameters.add(encode(name) + "=" + encode(value));
		return this;
	}

	/**
	 * Offer subprotocols to the server, most preferred first; the one it chooses is
	 * {@link TuttiTestClient#subprotocol()}. Replaces earlier offers.
	 * @param subprotocols the subprotocols, none to offer none
	 * @return this builder
	 */
	public TuttiTestClientBuilder subprotocols(String... subprotocols) {
		this.subprotocols.clear();
		this.subprotocols.addAll(List.of(subprotocols));
		return this;
	}

	/**
	 * Set the codec that encodes {@link TuttiTestClient#sendJson(Object)} and decodes
	 * {@code awaitJson}, such as the application's {@link Codec} bean.
	 * @param codec the codec
	 * @return this builder
	 */
	public TuttiTestClientBuilder codec(Codec codec) {
		this.codec = Objects.requireNonNull(codec, "codec");
		return this;
	}

	/**
	 * Set the JSON property that {@link TuttiTestClient#awaitJson(String, Class)} reads a
	 * message's type from. Defaults to the hub's default, {@code type}.
	 * @param property the property name
	 * @return this builder
	 * @throws IllegalArgumentException if the name is blank
	 */
	public TuttiTestClientBuilder messageTypeProperty(String property) {
		if (property.isBlank()) {
			throw new IllegalArgumentException("Message type property must not be blank");
		}
		this.messageTypeProperty = property;
		return this;
	}

	/**
	 * Set how long the client waits for a message to be written, for anything awaited and
	 * for the server to answer a close frame. Defaults to
	 * {@link TuttiTestClient#TuttiTestClient.DEFAULT_TIMEOUT}.
	 * @param timeout a positive duration
	 * @return this builder
	 * @throws IllegalArgumentException if the timeout is not positive
	 * @see #connectTimeout(Duration)
	 */
	public TuttiTestClientBuilder timeout(Duration timeout) {
		this.timeout = requirePositive(timeout, "Timeout");
		return this;
	}

	/**
	 * Set how long the client waits for the opening handshake to complete. Defaults to
	 * {@link TuttiTestClient#TuttiTestClient.DEFAULT_TIMEOUT} whatever
	 * {@link #timeout(Duration)} is, since the first connection in a JVM is slower than
	 * anything after it.
	 * @param connectTimeout a positive duration
	 * @return this builder
	 * @throws IllegalArgumentException if the timeout is not positive
	 */
	public TuttiTestClientBuilder connectTimeout(Duration connectTimeout) {
		this.connectTimeout = requirePositive(connectTimeout, "Connect timeout");
		return this;
	}

	/**
	 * Connect a client and wait for the handshake to complete.
	 * @return the connected client
	 * @throws HandshakeRefusedException if the server does not accept the handshake
	 * @throws UncheckedIOException if the client cannot connect
	 * @throws AssertionError if the handshake does not complete within the connect
	 * timeout
	 * @throws IllegalArgumentException if the JDK client refuses a header
	 */
	public TuttiTestClient connect() {
		try {
			return connectAsync().join();
		}
		catch (CompletionException ex) {
			throw TuttiTestClient.unchecked(ex.getCause());
		}
	}

	/**
	 * Connect a client without waiting for the handshake. The future may complete on a
	 * thread of the JDK's TuttiTestClient.HTTP client: make calls that wait, such as
	 * {@code await} methods or {@link TuttiTestClient#close()}, after {@code join()} or
	 * in a stage with an executor of its own ({@code thenApplyAsync}).
	 * @return a future completed with the connected client, or exceptionally as
	 * {@link #connect()} throws
	 */
	public CompletableFuture<TuttiTestClient> connectAsync() {
		URI target = target();
		Inbox inbox = new Inbox(target.toString());
		WebSocket.Builder builder = TuttiTestClient.HTTP.newWebSocketBuilder().connectTimeout(this.connectTimeout);
		this.headers.forEach((header) -> builder.header(header.getKey(), header.getValue()));
		if (!this.subprotocols.isEmpty()) {
			builder.subprotocols(this.subprotocols.get(0),
					this.subprotocols.subList(1, this.subprotocols.size()).toArray(String[]::new));
		}
		Codec codec = this.codec;
		String messageTypeProperty = this.messageTypeProperty;
		Duration timeout = this.timeout;
		Duration connectTimeout = this.connectTimeout;
		CompletableFuture<TuttiTestClient> connected = new CompletableFuture<>();
		builder.buildAsync(target, inbox).whenComplete((webSocket, ex) -> {
			if (ex != null) {
				connected.completeExceptionally(connectFailure(target, ex, connectTimeout));
			}
			else if (!connected
				.complete(new TuttiTestClient(target, webSocket, inbox, codec, messageTypeProperty, timeout))) {
				// Cancelled by the caller: nobody will close this connection
				webSocket.abort();
			}
		});
		return connected;
	}

	private URI target() {
		if (this.queryParameters.isEmpty()) {
			return this.uri;
		}
		String query = String.join("&", this.queryParameters);
		String base = this.uri.toString();
		return URI.create(base + ((this.uri.getRawQuery() != null) ? "&" : "?") + query);
	}

	private static Duration requirePositive(Duration timeout, String name) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + timeout);
		}
		return timeout;
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static Throwable connectFailure(URI uri, Throwable failure, Duration timeout) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof WebSocketHandshakeException refused) {
			return new HandshakeRefusedException(uri, refused.getResponse().statusCode(),
					refused.getResponse().headers().map(), refused);
		}
		if (cause instanceof HttpTimeoutException) {
			return new AssertionError("Expected an answer to the opening handshake from " + uri + " within "
					+ Inbox.format(timeout) + ", but none arrived", cause);
		}
		if (cause instanceof IOException io) {
			return new UncheckedIOException("Could not connect to " + uri, io);
		}
		return cause;
	}

}
