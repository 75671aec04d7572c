package dev.tutti.sample.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tutti.sample.chat.ChatMessages.Line;

/**
 * A {@link ChatHistory} in this instance's memory: the default. Bounded twice: a number
 * of messages per room, and a number of rooms (the room used least recently is forgotten
 * first). Thread-safe.
 */
public final class InMemoryChatHistory implements ChatHistory {

	private final int perRoom;

	private final Map<String, Deque<Line>> rooms;

	/**
	 * Create a history.
	 * @param perRoom how many messages to keep per room
	 * @param maxRooms how many rooms to keep messages of
	 */
	public InMemoryChatHistory(int perRoom, int maxRooms) {
		this.perRoom = perRoom;
		this.rooms = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Deque<Line>> eldest) {
				return size() > maxRooms;
			}

		};
	}

	@Override
	public synchronized void add(Line line) {
		Deque<Line> lines = this.rooms.computeIfAbsent(line.room(), (room) -> new ArrayDeque<>());
		lines.addLast(line);
		while (lines.size() > this.perRoom) {
			lines.removeFirst();
		}
	}

	@Override
	public synchronized List<Line> recent(String room) {
		Deque<Line> lines = this.rooms.get(room);
		return (lines != null) ? new ArrayList<>(lines) : List.of();
	}

}
