package dev.tutti;

/**
 * Thrown when an operation needs an open hub and the hub is closed.
 */
public class HubClosedException extends TuttiException {

	private static final long serialVersionUID = 1L;

	HubClosedException(String hubName) {
		super("Hub '%s' is closed".formatted(hubName), CloseStatus.GOING_AWAY);
	}

}
