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
	 * Return the close status that matches this failure.
	 * @return the close status
	 */
	public CloseStatus getCloseStatus() {
		return this.closeStatus;
	}

}
