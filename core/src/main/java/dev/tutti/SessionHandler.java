package dev.tutti;

/**
 * A callback about one session, such as {@link Hub#onConnect(SessionHandler)}.
 */
@FunctionalInterface
public interface SessionHandler {

	/**
	 * Handle the event. An exception goes to the hub's error handler.
	 * @param session the session
	 * @throws Exception on failure
	 */
	void handle(Session session) throws Exception;

}
