package dev.tutti;

/**
 * Base class of the exceptions the hub throws or reports to the error handler. Each
 * carries the close status that goes with it, for handlers that want to close the
 * session.
 */
public class TuttiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final CloseStatus closeStatus;

	/**
	 * Create an exception.
	 * @param message the detail message
	 * @param closeStatus the close status that matches the failure
	 */
	public TuttiException(String message, CloseStatus closeStatus) {
		super(message);
		this.closeStatus = closeStatus;
	}

	/**
	 * Whether a client can cause this failure (a dropped connection, an oversize or
	 * undecodable message, a client too slow to read), as opposed to a fault of the
	 * server. The hub logs such failures at DEBUG without a stack trace, so that no
	 * client can flood the log.
	 * @return {@code true} for failures a client can cause
	 */
	public boolean isCausedByClient() {
		return false;
	}

	/**
	 * Return the close status that matches this failure.
	 * @return the close status
	 */
	public CloseStatus getCloseStatus() {
		return this.closeStatus;
	}

}
