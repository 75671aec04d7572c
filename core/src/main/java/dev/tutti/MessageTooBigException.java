package dev.tutti;

/**
 * Reported to the hub's error handler when a peer sends a message larger than the hub's
 * maximum message size. The session is closed with {@link CloseStatus#TOO_BIG} (1009).
 */
public class MessageTooBigException extends TuttiException {

	private static final long serialVersionUID = 1L;

	MessageTooBigException(String sessionId, long limit) {
		super("Inbound message of session '%s' exceeds the limit of %d bytes".formatted(sessionId, limit),
				CloseStatus.TOO_BIG);
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
