package dev.tutti;

import org.jspecify.annotations.Nullable;

/**
 * Reported to the hub's error handler when an inbound text message cannot be decoded for
 * a typed handler: malformed JSON, an unknown message type, or content that does not fit
 * the handler's type. The session stays open.
 */
public class MessageDecodingException extends TuttiException {

	private static final long serialVersionUID = 1L;

	MessageDecodingException(String sessionId, String problem, @Nullable Throwable cause) {
		super("Cannot decode message of session '%s': %s".formatted(sessionId, problem),
				new CloseStatus(1007, "Invalid message"));
		if (cause != null) {
			initCause(cause);
		}
	}

	/**
	 * Return {@code true}: a client causes this failure.
	 * @return {@code true}
	 */
	@Override
	public boolean isCausedByClient() {
		return true;
	}

}
