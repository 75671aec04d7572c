package dev.tutti;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms of a hub: room name to member set. Joining and leaving are O(1) and atomic
 * per room, so a room disappears when its last member leaves and never loses a concurrent
 * join.
 */
final class RoomIndex {

	private final Map<String, Set<DefaultSession>> rooms = new ConcurrentHashMap<>();

	/**
	 * Add a member.
	 * @return whether the session was not a member yet
	 */
	boolean join(String room, DefaultSession session) {
		boolean[] added = new boolean[1];
		this.rooms.compute(room, (name, members) -> {
			Set<DefaultSession> set = (members != null) ? members : ConcurrentHashMap.newKeySet();
			added[0] = set.add(session);
			return set;
		});
		return added[0];
	}

	/**
	 * Remove a member, and the room with its last member.
	 * @return whether the session was a member
	 */
	boolean leave(String room, DefaultSession session) {
		boolean[] removed = new boolean[1];
		this.rooms.computeIfPresent(room, (name, members) -> {
			removed[0] = members.remove(session);
			return members.isEmpty() ? null : members;
		});
		return removed[0];
	}

	Collection<DefaultSession> members(String room) {
		Set<DefaultSession> members = this.rooms.get(room);
		return (members != null) ? members : Set.of();
	}

	/**
	 * Return how many rooms have members.
	 */
	int count() {
		return this.rooms.size();
	}

	Map<String, Integer> sizes() {
		Map<String, Integer> sizes = new TreeMap<>();
		this.rooms.forEach((name, members) -> {
			int size = members.size();
			if (size > 0) {
				sizes.put(name, size);
			}
		});
		return sizes;
	}

}
