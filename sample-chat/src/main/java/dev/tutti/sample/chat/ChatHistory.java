package dev.tutti.sample.chat;

import java.util.List;

import dev.tutti.sample.chat.ChatMessages.Line;

/**
 * The last messages of each room, which a page gets when it joins the room.
 * {@link InMemoryChatHistory} keeps them in one application instance;
 * {@link RedisChatHistory} in Redis, shared by every instance. Implementations are
 * thread-safe.
 */
public interface ChatHistory {

	/**
	 * Add a message to its room's history, forgetting the oldest one beyond the limit.
	 * @param line the message
	 */
	void add(Line line);

	/**
	 * Return a room's last messages.
	 * @param room the room
	 * @return the messages, oldest first
	 */
	List<Line> recent(String room);

}
