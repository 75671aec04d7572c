package dev.tutti;

/**
 * A failure of a cluster {@link Backplane}: a broadcast that could not be published to
 * the other nodes, a message from another node that could not be read, or a cluster count
 * that could not be read. Reported to the error handlers without a session; local
 * delivery is never affected.
 */
public class BackplaneException extends TuttiException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the detail message
	 */
	public BackplaneException(String message) {
		super(message, CloseStatus.SERVER_ERROR);
	}

	/**
	 * Create an exception with a cause.
	 * @param message the detail message
	 * @param cause the cause
	 */
	public BackplaneException(String message, Throwable cause) {
		this(message);
		initCause(cause);
	}

}
