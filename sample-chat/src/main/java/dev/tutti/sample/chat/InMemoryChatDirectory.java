package dev.tutti.sample.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link ChatDirectory} in this application instance's memory: the default. Every
 * method is synchronized; presence changes are rare next to messages.
 */
public final class InMemoryChatDirectory implements ChatDirectory {

	private final String defaultRoom;

	private final int maxRooms;

	/** Nickname, lower-cased, to its holder. */
	private final Map<String, Holder> nicknames = new HashMap<>();

	/** Room to the users present, by lower-cased nickname, each with their sessions. */
	private final Map<String, Map<String, Presence>> rooms = new HashMap<>();

	/**
	 * Create a directory.
	 * @param defaultRoom the room that is always listed
	 * @param maxRooms how many rooms may have users at once
	 */
	public InMemoryChatDirectory(String defaultRoom, int maxRooms) {
		this.defaultRoom = defaultRoom;
		this.maxRooms = maxRooms;
	}

	@Override
	public synchronized boolean claim(String nickname, String owner, String sessionId) {
		Holder holder = this.nicknames.computeIfAbsent(key(nickname), (key) -> new Holder(nickname, owner));
		if (!holder.owner.equals(owner)) {
			return false;
		}
		holder.sessions.add(sessionId);
		return true;
	}

	@Override
	public synchronized void release(String nickname, String sessionId) {
		String key = key(nickname);
		Holder holder = this.nicknames.get(key);
		if (holder != null && holder.sessions.remove(sessionId) && holder.sessions.isEmpty()) {
			this.nicknames.remove(key);
		}
	}

	@Override
	public synchronized boolean isOnline(String nickname) {
		return this.nicknames.containsKey(key(nickname));
	}

	@Override
	public synchronized String spelling(String nickname) {
		Holder holder = this.nicknames.get(key(nickname));
		return (holder != null) ? holder.nickname : nickname;
	}

	@Override
	public synchronized boolean enter(String room, String nickname, String sessionId) {
		Map<String, Presence> present = this.rooms.computeIfAbsent(room, (name) -> new LinkedHashMap<>());
		Presence presence = present.computeIfAbsent(key(nickname), (key) -> new Presence(nickname));
		return presence.sessions.add(sessionId) && presence.sessions.size() == 1;
	}

	@Override
	public synchronized boolean exit(String room, String nickname, String sessionId) {
		Map<String, Presence> present = this.rooms.get(room);
		if (present == null) {
			return false;
		}
		String key = key(nickname);
		Presence presence = present.get(key);
		if (presence == null || !presence.sessions.remove(sessionId) || !presence.sessions.isEmpty()) {
			return false;
		}
		present.remove(key);
		if (present.isEmpty()) {
			this.rooms.remove(room);
		}
		return true;
	}

	@Override
	public synchronized List<String> present(String room) {
		List<String> names = new ArrayList<>();
		this.rooms.getOrDefault(room, Map.of()).values().forEach((presence) -> names.add(presence.nickname));
		names.sort(String.CASE_INSENSITIVE_ORDER);
		return names;
	}

	@Override
	public synchronized Map<String, Integer> rooms() {
		Map<String, Integer> counts = new TreeMap<>();
		counts.put(this.defaultRoom, 0);
		this.rooms.forEach((room, present) -> counts.put(room, present.size()));
		return counts;
	}

	@Override
	public synchronized boolean canOpen(String room) {
		return this.rooms.containsKey(room) || room.equals(this.defaultRoom) || this.rooms.size() < this.maxRooms;
	}

	private static String key(String nickname) {
		return nickname.toLowerCase(Locale.ROOT);
	}

	private static final class Holder {

		private final String nickname;

		private final String owner;

		private final Set<String> sessions = new HashSet<>();

		Holder(String nickname, String owner) {
			this.nickname = nickname;
			this.owner = owner;
		}

	}

	private static final class Presence {

		private final String nickname;

		private final Set<String> sessions = new HashSet<>();

		Presence(String nickname) {
			this.nickname = nickname;
		}

	}

}
