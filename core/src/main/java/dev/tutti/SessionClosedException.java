package dev.tutti;

/**
 * Thrown when writing to a session that is closed, and used to fail the pending writes of
 * a session that closed before they were sent.
 */
public class SessionClosedException extends TuttiException {

	private static final long serialVersionUID = 1L;

	SessionClosedException(String sessionId) {
		super("Session '%s' is closed".formatted(sessionId), CloseStatus.GOING_AWAY);
	}

}
