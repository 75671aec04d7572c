package dev.tutti;

/**
 * Reported to the hub's error handler when a session's connection ends without a close
 * frame (1006) and the transport reported no other error, such as a dropped TCP
 * connection.
 */
public class ConnectionLostException extends TuttiException {

	private static final long serialVersionUID = 1L;

	ConnectionLostException(String sessionId) {
		super("Session '%s' lost its connection without a close frame".formatted(sessionId),
				CloseStatus.NO_CLOSE_FRAME);
	}

}
