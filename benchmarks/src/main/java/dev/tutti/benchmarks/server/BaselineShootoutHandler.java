package dev.tutti.benchmarks.server;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The shootout protocol as a plain Spring {@link TextWebSocketHandler}: a concurrent set
 * of sessions, each wrapped in a {@link ConcurrentWebSocketSessionDecorator} so that
 * several threads may send to it. Thread-safe.
 */
public class BaselineShootoutHandler extends TextWebSocketHandler {

	private static final Log logger = LogFactory.getLog(BaselineShootoutHandler.class);

	private static final int SEND_TIME_LIMIT = 10_000;

	private static final int BUFFER_SIZE_LIMIT = 512 * 1024;

	private static final String DECORATOR_ATTRIBUTE = BaselineShootoutHandler.class.getName() + ".session";

	private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		WebSocketSession concurrent = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT,
				BUFFER_SIZE_LIMIT);
		session.getAttributes().put(DECORATOR_ATTRIBUTE, concurrent);
		this.sessions.add(concurrent);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		WebSocketSession sender = (WebSocketSession) session.getAttributes().get(DECORATOR_ATTRIBUTE);
		ShootoutProtocol.Request request = ShootoutProtocol.parse(message.getPayload());
		if (sender == null || request == null) {
			return;
		}
		if (request.isEcho()) {
			send(sender, message);
		}
		else if (request.isBroadcast()) {
			TextMessage broadcast = new TextMessage(ShootoutProtocol.broadcast(request.payload()));
			int listeners = 0;
			for (WebSocketSession recipient : this.sessions) {
				if (send(recipient, broadcast)) {
					listeners++;
				}
			}
			send(sender, new TextMessage(ShootoutProtocol.broadcastResult(request.payload(), listeners)));
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Object concurrent = session.getAttributes().get(DECORATOR_ATTRIBUTE);
		if (concurrent != null) {
			this.sessions.remove(concurrent);
		}
	}

	private static boolean send(WebSocketSession session, TextMessage message) {
		try {
			session.sendMessage(message);
			return true;
		}
		catch (IOException | RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Send to session " + session.getId() + " failed", ex);
			}
			return false;
		}
	}

}
