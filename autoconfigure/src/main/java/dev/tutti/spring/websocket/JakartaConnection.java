package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.jspecify.annotations.Nullable;

import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.web.socket.WebSocketSession;

/**
 * A {@link Connection} over a Jakarta WebSocket session, sending through its asynchronous
 * remote endpoint. The hub keeps at most one send in flight, so one {@link SendHandler}
 * instance (this object) serves every send without allocation.
 */
final class JakartaConnection implements Connection, SendHandler {

	/** Tomcat's per-session limit on blocking sends (pings and close frames). */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final WebSocketSession session;

	private final jakarta.websocket.Session nativeSession;

	private final RemoteEndpoint.Async remote;

	private final Map<String, List<String>> headers;

	private volatile @Nullable SendCallback callback;

	JakartaConnection(WebSocketSession session, jakarta.websocket.Session nativeSession, Duration writeTimeout) {
		this.session = session;
		this.nativeSession = nativeSession;
		this.remote = nativeSession.getAsyncRemote();
		this.headers = copyHeaders(session);
		nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, writeTimeout.toMillis());
	}

	@Override
	public void sendText(String text, SendCallback callback) {
		this.callback = callback;
		try {
			this.remote.sendText(text, this);
		}
		catch (RuntimeException ex) {
			complete(ex);
		}
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		this.callback = callback;
		try {
			this.remote.sendBinary(data, this);
		}
		catch (RuntimeException ex) {
			complete(ex);
		}
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		try {
			this.remote.sendPing(data);
			callback.completed(null);
		}
		catch (IOException | RuntimeException ex) {
			callback.completed(ex);
		}
	}

	@Override
	public void close(int code, String reason) {
		try {
			this.nativeSession.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
		}
		catch (IOException ex) {
			// The connection is gone; the container reports the close.
		}
	}

	@Override
	public void onResult(SendResult result) {
		complete(result.isOK() ? null : result.getException());
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.session.getRemoteAddress();
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return this.session.getLocalAddress();
	}

	@Override
	public @Nullable Principal principal() {
		return this.session.getPrincipal();
	}

	@Override
	public URI uri() {
		URI uri = this.session.getUri();
		return (uri != null) ? uri : URI.create("/");
	}

	@Override
	public Map<String, List<String>> headers() {
		return this.headers;
	}

	@Override
	public Map<String, Object> handshakeAttributes() {
		return this.session.getAttributes();
	}

	private void complete(@Nullable Throwable failure) {
		SendCallback callback = this.callback;
		this.callback = null;
		if (callback != null) {
			callback.completed(failure);
		}
	}

	/**
	 * Copy the handshake headers into a map that, like HTTP, ignores the case of names.
	 */
	private static Map<String, List<String>> copyHeaders(WebSocketSession session) {
		Map<String, List<String>> headers = new LinkedCaseInsensitiveMap<>(Locale.ROOT);
		session.getHandshakeHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
		return Collections.unmodifiableMap(headers);
	}

}
