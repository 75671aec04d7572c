package dev.tutti;

/**
 * A callback with a session and a message, such as {@link Hub#onMessage(MessageHandler)}.
 *
 * @param <T> the message type: {@code String} for text, {@code byte[]} for binary
 */
@FunctionalInterface
public interface MessageHandler<T> {

	/**
	 * Handle the message. An exception goes to the hub's error handler; the session stays
	 * open.
	 * @param session the session
	 * @param message the message; a {@code byte[]} must not be modified
	 * @throws Exception on failure
	 */
	void handle(Session session, T message) throws Exception;

}
