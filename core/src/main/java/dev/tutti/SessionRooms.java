package dev.tutti;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rooms of one session, kept in step with the hub's {@link RoomIndex}: each change
 * updates both under this object's lock, so a join racing a leave or the session's
 * disconnect can never leave the session in the index but not in its own set. A session
 * makes its rooms on its first join.
 * <p>
 * Thread-safe.
 */
final class SessionRooms {

	/**
	 * The rooms of every session that has left its rooms for good without having joined
	 * one: it refuses joins and has no rooms.
	 */
	static final SessionRooms LEFT = new SessionRooms(true);

	private final Set<String> rooms;

	private boolean left;

	SessionRooms() {
		this(false);
	}

	private SessionRooms(boolean left) {
		this.rooms = left ? Set.of() : new HashSet<>(4);
		this.left = left;
	}

	/**
	 * Join a room.
	 * @return whether the session was not in the room yet
	 * @throws SessionClosedException if the session has left all its rooms for good
	 */
	synchronized boolean join(DefaultSession session, RoomIndex index, String room) {
		if (this.left) {
			throw new SessionClosedException(session.id());
		}
		if (!this.rooms.add(room)) {
			return false;
		}
		index.join(room, session);
		return true;
	}

	/**
	 * Leave a room.
	 * @return whether the session was in the room
	 */
	synchronized boolean leave(DefaultSession session, RoomIndex index, String room) {
		if (this.left || !this.rooms.remove(room)) {
			return false;
		}
		index.leave(room, session);
		return true;
	}

	/**
	 * Leave every room, and refuse later joins.
	 * @return the rooms the session was in
	 */
	synchronized List<String> leaveAll(DefaultSession session, RoomIndex index) {
		this.left = true;
		if (this.rooms.isEmpty()) {
			return List.of();
		}
		List<String> rooms = List.copyOf(this.rooms);
		rooms.forEach((room) -> index.leave(room, session));
		this.rooms.clear();
		return rooms;
	}

	synchronized Set<String> snapshot() {
		return Set.copyOf(this.rooms);
	}

}
