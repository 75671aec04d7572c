package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import dev.tutti.transport.ConnectionListener;
import dev.tutti.transport.Upgrade;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

/**
 * The Jakarta WebSocket endpoint of one connection that {@link TuttiWebSocketServlet}
 * upgraded: it opens the session that the handshake registered with the hub, and reports
 * the connection's frames and close to it. Receives partial messages, as
 * {@link TuttiWebSocketHandler} does. The container calls it serially for one connection.
 */
final class TuttiEndpoint extends Endpoint
		implements MessageHandler.Partial<String>, MessageHandler.Whole<PongMessage> {

	private final Upgrade upgrade;

	private final Duration writeTimeout;

	private final FrameBufferNotice notice;

	/** The local address of the connection, as the servlet request gave it. */
	private final @Nullable String localHost;

	private final int localPort;

	private volatile @Nullable ConnectionListener listener;

	TuttiEndpoint(Upgrade upgrade, Duration writeTimeout, FrameBufferNotice notice, @Nullable String localHost,
			int localPort) {
		this.upgrade = upgrade;
		this.writeTimeout = writeTimeout;
		this.notice = notice;
		this.localHost = localHost;
		this.localPort = localPort;
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		ConnectionListener listener;
		try {
			listener = this.upgrade.open(new JakartaConnection(session, this::localAddress, this.writeTimeout,
					TomcatFrames.get(), this.notice));
		}
		catch (RuntimeException ex) {
			// Given up already (its upgrade timed out): the hub no longer knows the
			// session
			close(session, new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "Upgrade given up"));
			return;
		}
		this.listener = listener;
		session.addMessageHandler(String.class, this);
		session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) listener::onBinary);
		session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) this);
	}

	@Override
	public void onMessage(String part, boolean last) {
		ConnectionListener listener = this.listener;
		if (listener != null) {
			listener.onText(part, last);
		}
	}

	@Override
	public void onMessage(PongMessage pong) {
		ConnectionListener listener = this.listener;
		if (listener != null) {
			listener.onPong(pong.getApplicationData());
		}
	}

	@Override
	public void onError(Session session, Throwable error) {
		ConnectionListener listener = this.listener;
		if (listener != null) {
			listener.onError(error);
		}
	}

	@Override
	public void onClose(Session session, CloseReason reason) {
		ConnectionListener listener = this.listener;
		if (listener != null) {
			String phrase = reason.getReasonPhrase();
			listener.onClosed(reason.getCloseCode().getCode(), (phrase != null) ? phrase : "");
		}
		else {
			this.upgrade.abandon();
		}
	}

	private @Nullable InetSocketAddress localAddress() {
		return (this.localHost != null) ? new InetSocketAddress(this.localHost, this.localPort) : null;
	}

	private static void close(Session session, CloseReason reason) {
		try {
			session.close(reason);
		}
		catch (IOException ex) {
			// The connection is gone; the container reports the close.
		}
	}

}
