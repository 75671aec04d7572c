package dev.tutti;

/**
 * A callback with a session and a close status, such as
 * {@link Hub#onDisconnect(CloseHandler)}.
 */
@FunctionalInterface
public interface CloseHandler {

	/**
	 * Handle the event. An exception goes to the hub's error handler.
	 * @param session the session
	 * @param status the close status
	 * @throws Exception on failure
	 */
	void handle(Session session, CloseStatus status) throws Exception;

}
