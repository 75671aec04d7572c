package dev.tutti.sample.chat;

import java.util.List;
import java.util.Map;

/**
 * Who is connected and who is in which room: nicknames, their owners and sessions, and
 * the users present in each room. The chat asks it before every change of presence; the
 * hub itself only knows sessions.
 * <p>
 * A user is a nickname, and may have several sessions (tabs). Nicknames are unique
 * ignoring case: a nickname belongs to one owner (a browser's key, or a signed-in user)
 * while that owner has a session, and every session of that owner may use it. A user is
 * present in a room while at least one of their sessions is in it.
 * <p>
 * {@link InMemoryChatDirectory} keeps this in one application instance;
 * {@link RedisChatDirectory} in Redis, so that several instances share nicknames and
 * presence. Implementations are thread-safe.
 */
public interface ChatDirectory {

	/**
	 * Claim a nickname for a session.
	 * @param nickname the nickname, already validated
	 * @param owner who the session belongs to
	 * @param sessionId the session
	 * @return {@code true} if the nickname was free or belongs to the same owner,
	 * {@code false} if another owner holds it
	 */
	boolean claim(String nickname, String owner, String sessionId);

	/**
	 * Release a session's claim; the nickname becomes free once its last session is gone.
	 * @param nickname the nickname the session claimed
	 * @param sessionId the session
	 */
	void release(String nickname, String sessionId);

	/**
	 * Whether a user with this nickname is connected.
	 * @param nickname the nickname, compared ignoring case
	 * @return {@code true} if some session holds it
	 */
	boolean isOnline(String nickname);

	/**
	 * Return the nickname as its holder spelled it.
	 * @param nickname the nickname, compared ignoring case
	 * @return the holder's spelling, or the argument if nobody holds it
	 */
	String spelling(String nickname);

	/**
	 * Record that a session entered a room.
	 * @param room the room
	 * @param nickname the session's nickname
	 * @param sessionId the session
	 * @return {@code true} if the user was not present in the room before (their first
	 * session there)
	 */
	boolean enter(String room, String nickname, String sessionId);

	/**
	 * Record that a session left a room.
	 * @param room the room
	 * @param nickname the session's nickname
	 * @param sessionId the session
	 * @return {@code true} if the user is no longer present in the room (it was their
	 * last session there)
	 */
	boolean exit(String room, String nickname, String sessionId);

	/**
	 * Return the users present in a room.
	 * @param room the room
	 * @return their nicknames, sorted ignoring case
	 */
	List<String> present(String room);

	/**
	 * Return the rooms: every room with users present, and the default room.
	 * @return room names to the number of users present, sorted by name
	 */
	Map<String, Integer> rooms();

	/**
	 * Whether a new room may be opened.
	 * @param room the room
	 * @return {@code true} if the room exists or the limit of rooms is not reached
	 */
	boolean canOpen(String room);

}
