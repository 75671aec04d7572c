package dev.tutti;

/**
 * A callback with a session and a room name, for {@link Hub#onJoin(RoomHandler)} and
 * {@link Hub#onLeave(RoomHandler)}.
 */
@FunctionalInterface
public interface RoomHandler {

	/**
	 * Handle the event. An exception goes to the hub's error handler.
	 * @param session the session
	 * @param room the room name
	 * @throws Exception on failure
	 */
	void handle(Session session, String room) throws Exception;

}
