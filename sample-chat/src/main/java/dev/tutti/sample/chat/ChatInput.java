package dev.tutti.sample.chat;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What the chat accepts from a page. Each check returns a message for the user when the
 * input is not acceptable and {@code null} when it is.
 */
final class ChatInput {

	/** Longest nickname, in characters. */
	static final int MAX_NICKNAME = 32;

	/** Longest message, in characters. */
	static final int MAX_TEXT = 1000;

	/** Longest room name, in characters. */
	static final int MAX_ROOM = 30;

	/**
	 * Letters, digits, punctuation and symbols with single spaces between them: no
	 * control, format or invisible characters, no leading or trailing space.
	 */
	private static final Pattern NICKNAME = Pattern
		.compile("[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}]+( [\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}]+)*");

	/** Lower-case letters, digits, '-' and '_', starting with a letter or digit. */
	private static final Pattern ROOM = Pattern.compile("[a-z0-9][a-z0-9_-]*");

	/** Control characters other than line feed and tab. */
	private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}]");

	private ChatInput() {
	}

	static @Nullable String checkNickname(@Nullable String nickname) {
		if (nickname == null || nickname.isEmpty()) {
			return "Choose a nickname";
		}
		int length = nickname.codePointCount(0, nickname.length());
		if (length > MAX_NICKNAME) {
			return "A nickname has at most " + MAX_NICKNAME + " characters (this one has " + length + ")";
		}
		if (!NICKNAME.matcher(nickname).matches()) {
			return "A nickname is letters, digits, punctuation and symbols, with single spaces between words";
		}
		return null;
	}

	/**
	 * Return the room name as the chat keeps it: lower case.
	 */
	static String normalizeRoom(String room) {
		return room.toLowerCase(Locale.ROOT);
	}

	static @Nullable String checkRoom(@Nullable String room) {
		if (room == null || room.isEmpty()) {
			return "Name a room";
		}
		if (room.length() > MAX_ROOM) {
			return "A room name has at most " + MAX_ROOM + " characters";
		}
		if (!ROOM.matcher(normalizeRoom(room)).matches()) {
			return "A room name is letters, digits, '-' and '_', starting with a letter or digit";
		}
		return null;
	}

	static @Nullable String checkText(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return "Type a message";
		}
		int length = text.codePointCount(0, text.length());
		if (length > MAX_TEXT) {
			return "A message has at most " + MAX_TEXT + " characters (this one has " + length + ")";
		}
		if (CONTROL.matcher(text).find()) {
			return "A message cannot contain control or invisible characters";
		}
		return null;
	}

}
