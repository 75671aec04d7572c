package dev.tutti.sample.chat;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * The chat's protocol: every message is a JSON object whose {@code type} property names
 * it. The records named after what a page asks for ({@link Hello}, {@link Join},
 * {@link Leave}, {@link Say}, {@link Typing}, {@link Whisper}) arrive from pages; the
 * others are sent to them. {@code sample-chat/README.md} documents each one.
 */
public final class ChatMessages {

	private ChatMessages() {
	}

	/**
	 * {@code hello}: pick a nickname. The key identifies the browser, so that every tab
	 * of one person may use the same nickname.
	 *
	 * @param nickname the nickname
	 * @param key a random key the page keeps in the browser
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Hello(@Nullable String nickname, @Nullable String key) {
	}

	/**
	 * {@code join}: enter a room, opening it if it does not exist.
	 *
	 * @param room the room
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Join(@Nullable String room) {
	}

	/**
	 * {@code leave}: leave a room.
	 *
	 * @param room the room
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Leave(@Nullable String room) {
	}

	/**
	 * {@code say}: send a message to a room.
	 *
	 * @param room the room, which the session must be in
	 * @param text the message
	 * @param ref the page's id of the message, sent back with it
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Say(@Nullable String room, @Nullable String text, @Nullable String ref) {
	}

	/**
	 * {@code typing}: the user is typing in a room.
	 *
	 * @param room the room
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Typing(@Nullable String room) {
	}

	/**
	 * {@code private}: send a message to one user, in every tab of theirs.
	 *
	 * @param to the addressee's nickname
	 * @param text the message
	 * @param ref the page's id of the message, sent back with it
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Whisper(@Nullable String to, @Nullable String text, @Nullable String ref) {
	}

	/**
	 * {@code error}: a message from the page was refused; the session stays open.
	 * {@code session.writeError(...)} sends the same shape without {@code ref}.
	 *
	 * @param type {@code error}
	 * @param message what was wrong, for the user
	 * @param ref the page's id of the refused message, if it had one
	 */
	public record Refusal(String type, String message, @Nullable String ref) {

		Refusal(String message, @Nullable String ref) {
			this("error", message, ref);
		}

	}

	/**
	 * {@code welcome}: the nickname was accepted.
	 *
	 * @param type {@code welcome}
	 * @param nickname the nickname
	 * @param principal the signed-in user's name, or {@code null} when anonymous
	 */
	public record Welcome(String type, String nickname, @Nullable String principal) {

		Welcome(String nickname, @Nullable String principal) {
			this("welcome", nickname, principal);
		}

	}

	/**
	 * {@code rooms}: every room and how many users are in it; sent on every change.
	 *
	 * @param type {@code rooms}
	 * @param rooms the rooms, sorted by name
	 */
	public record Rooms(String type, List<RoomCount> rooms) {

		Rooms(List<RoomCount> rooms) {
			this("rooms", rooms);
		}

	}

	/**
	 * A room and its number of users.
	 *
	 * @param name the room
	 * @param members the number of users present
	 */
	public record RoomCount(String name, int members) {
	}

	/**
	 * {@code entered}: the session is in the room now.
	 *
	 * @param type {@code entered}
	 * @param room the room
	 * @param members the users present
	 * @param history the room's last messages, oldest first
	 */
	public record Entered(String type, String room, List<String> members, List<Line> history) {

		Entered(String room, List<String> members, List<Line> history) {
			this("entered", room, members, history);
		}

	}

	/**
	 * {@code exited}: the session left the room.
	 *
	 * @param type {@code exited}
	 * @param room the room
	 */
	public record Exited(String type, String room) {

		Exited(String room) {
			this("exited", room);
		}

	}

	/**
	 * {@code presence}: the users present in a room; sent to the room on every change.
	 *
	 * @param type {@code presence}
	 * @param room the room
	 * @param members their nicknames
	 */
	public record Presence(String type, String room, List<String> members) {

		Presence(String room, List<String> members) {
			this("presence", room, members);
		}

	}

	/**
	 * {@code joined} or {@code left}: a user came into or left a room (their first tab
	 * entered, or their last one left).
	 *
	 * @param type {@code joined} or {@code left}
	 * @param room the room
	 * @param nickname the user
	 */
	public record Arrival(String type, String room, String nickname) {
	}

	/**
	 * {@code message}: a message in a room.
	 *
	 * @param type {@code message}
	 * @param id the server's id of the message
	 * @param room the room
	 * @param from the sender's nickname
	 * @param text the message
	 * @param at when the server received it, in milliseconds since the epoch
	 * @param ref the sending page's id of the message
	 */
	public record Line(String type, String id, String room, String from, String text, long at, @Nullable String ref) {
	}

	/**
	 * {@code typing}: a user is typing in a room.
	 *
	 * @param type {@code typing}
	 * @param room the room
	 * @param nickname the user
	 */
	public record TypingNotice(String type, String room, String nickname) {

		TypingNotice(String room, String nickname) {
			this("typing", room, nickname);
		}

	}

	/**
	 * {@code private}: a message to one user, sent to every session of theirs and to the
	 * sending session.
	 *
	 * @param type {@code private}
	 * @param id the server's id of the message
	 * @param from the sender's nickname
	 * @param to the addressee's nickname
	 * @param text the message
	 * @param at when the server received it, in milliseconds since the epoch
	 * @param ref the sending page's id of the message
	 */
	public record PrivateLine(String type, String id, String from, String to, String text, long at,
			@Nullable String ref) {
	}

}
