package dev.tutti;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The rooms of one session, kept in step with the hub's {@link RoomIndex}: each change
 * updates both under this object's lock, so a join racing a leave or the session's
 * disconnect can never leave the session in the index but not in its own set. The set is
 * created on the first join.
 * <p>
 * Thread-safe.
 */
final class SessionRooms {

	private final DefaultSession session;

	private final RoomIndex index;

	private @Nullable Set<String> rooms;

	private boolean left;

	SessionRooms(DefaultSession session, RoomIndex index) {
		this.session = session;
		this.index = index;
	}

	/**
	 * Join a room.
	 * @return whether the session was not in the room yet
	 * @throws SessionClosedException if the session has left all its rooms for good
	 */
	synchronized boolean join(String room) {
		if (this.left) {
			throw new SessionClosedException(this.session.id());
		}
		Set<String> rooms = this.rooms;
		if (rooms == null) {
			rooms = new HashSet<>(4);
			this.rooms = rooms;
		}
		if (!rooms.add(room)) {
			return false;
		}
		this.index.join(room, this.session);
		return true;
	}

	/**
	 * Leave a room.
	 * @return whether the session was in the room
	 */
	synchronized boolean leave(String room) {
		if (this.rooms == null || !this.rooms.remove(room)) {
			return false;
		}
		this.index.leave(room, this.session);
		return true;
	}

	/**
	 * Leave every room, and refuse later joins.
	 * @return the rooms the session was in
	 */
	synchronized List<String> leaveAll() {
		this.left = true;
		if (this.rooms == null) {
			return List.of();
		}
		List<String> rooms = List.copyOf(this.rooms);
		rooms.forEach((room) -> this.index.leave(room, this.session));
		this.rooms = null;
		return rooms;
	}

	synchronized Set<String> snapshot() {
		return (this.rooms != null) ? Set.copyOf(this.rooms) : Set.of();
	}

}
