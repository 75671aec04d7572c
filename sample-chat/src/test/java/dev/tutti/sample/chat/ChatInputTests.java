package dev.tutti.sample.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the chat accepts as nicknames, room names and messages.
 */
class ChatInputTests {

	@Test
	void nicknamesAreLettersDigitsPunctuationAndSymbolsWithSingleSpaces() {
		assertThat(ChatInput.checkNickname("alice")).isNull();
		assertThat(ChatInput.checkNickname("Zoë O'Neil")).isNull();
		assertThat(ChatInput.checkNickname("<script>alert(1)</script>")).isNull();
		assertThat(ChatInput.checkNickname("日本語")).isNull();
		assertThat(ChatInput.checkNickname("x".repeat(ChatInput.MAX_NICKNAME))).isNull();
		assertThat(ChatInput.checkNickname("")).isEqualTo("Choose a nickname");
		assertThat(ChatInput.checkNickname("x".repeat(ChatInput.MAX_NICKNAME + 1))).contains("at most 32");
		assertThat(ChatInput.checkNickname("two  spaces")).contains("single spaces");
		assertThat(ChatInput.checkNickname(" leading")).contains("single spaces");
		assertThat(ChatInput.checkNickname("tab\there")).isNotNull();
		assertThat(ChatInput.checkNickname("new\nline")).isNotNull();
		assertThat(ChatInput.checkNickname("zero\u200Bwidth")).isNotNull();
		assertThat(ChatInput.checkNickname("rtl\u202Eoverride")).isNotNull();
	}

	@Test
	void nicknameLengthCountsCharactersNotUtf16Units() {
		assertThat(ChatInput.checkNickname("😀".repeat(ChatInput.MAX_NICKNAME))).isNull();
	}

	@Test
	void roomNamesAreLowerCaseLettersDigitsDashesAndUnderscores() {
		assertThat(ChatInput.checkRoom("lobby")).isNull();
		assertThat(ChatInput.checkRoom("Team_2-b")).isNull();
		assertThat(ChatInput.normalizeRoom("Team_2-b")).isEqualTo("team_2-b");
		assertThat(ChatInput.checkRoom("")).isEqualTo("Name a room");
		assertThat(ChatInput.checkRoom("-x")).isNotNull();
		assertThat(ChatInput.checkRoom("@alice")).isNotNull();
		assertThat(ChatInput.checkRoom("two words")).isNotNull();
		assertThat(ChatInput.checkRoom("café")).isNotNull();
		assertThat(ChatInput.checkRoom("r".repeat(ChatInput.MAX_ROOM + 1))).contains("at most 30");
	}

	@Test
	void messagesAreNotBlankNotTooLongAndFreeOfControlCharacters() {
		assertThat(ChatInput.checkText("hello")).isNull();
		assertThat(ChatInput.checkText("two\nlines\tand a tab")).isNull();
		assertThat(ChatInput.checkText("x".repeat(ChatInput.MAX_TEXT))).isNull();
		assertThat(ChatInput.checkText(" \n ")).isEqualTo("Type a message");
		assertThat(ChatInput.checkText("x".repeat(ChatInput.MAX_TEXT + 1))).contains("at most 1000");
		assertThat(ChatInput.checkText("bell\u0007")).contains("control");
		assertThat(ChatInput.checkText("hidden\u200Bspace")).contains("invisible");
	}

}
