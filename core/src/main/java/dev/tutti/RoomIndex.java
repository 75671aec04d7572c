package dev.tutti;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The rooms of a hub: room name to member set. Joining and leaving are O(1) and atomic
 * per room, so a room disappears when its last member leaves and never loses a concurrent
 * join. A room that gets its first member or loses its last one is reported to the
 * listener, if any (the hub's backplane).
 */
final class RoomIndex {

	private final Map<String, Set<DefaultSession>> rooms = new ConcurrentHashMap<>();

	private volatile @Nullable Consumer<String> listener;

	void listener(Consumer<String> listener) {
		this.listener = listener;
	}

	/**
	 * Add a member.
	 * @return whether the session was not a member yet
	 */
	boolean join(String room, DefaultSession session) {
		boolean[] added = new boolean[2];
		this.rooms.compute(room, (name, members) -> {
			Set<DefaultSession> set = (members != null) ? members : ConcurrentHashMap.newKeySet();
			added[0] = set.add(session);
			added[1] = members == null;
			return set;
		});
		if (added[1]) {
			changed(room);
		}
		return added[0];
	}

	/**
	 * Remove a member, and the room with its last member.
	 * @return whether the session was a member
	 */
	boolean leave(String room, DefaultSession session) {
		boolean[] removed = new boolean[2];
		this.rooms.computeIfPresent(room, (name, members) -> {
			removed[0] = members.remove(session);
			removed[1] = members.isEmpty();
			return removed[1] ? null : members;
		});
		if (removed[1]) {
			changed(room);
		}
		return removed[0];
	}

	private void changed(String room) {
		Consumer<String> listener = this.listener;
		if (listener != null) {
			listener.accept(room);
		}
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
