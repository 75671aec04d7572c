package dev.tutti.sample.chat;

import dev.tutti.sample.chat.ChatMessages.Line;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rooms' last messages.
 */
class ChatHistoryTests {

	@Test
	void keepsTheLastMessagesOfEachRoomOldestFirst() {
		ChatHistory history = new InMemoryChatHistory(3, 10);
		for (int i = 1; i <= 5; i++) {
			history.add(line("kitchen", "k" + i));
		}
		history.add(line("lobby", "l1"));
		assertThat(history.recent("kitchen")).extracting(Line::text).containsExactly("k3", "k4", "k5");
		assertThat(history.recent("lobby")).extracting(Line::text).containsExactly("l1");
		assertThat(history.recent("attic")).isEmpty();
	}

	@Test
	void forgetsTheRoomUsedLeastRecentlyBeyondItsLimit() {
		ChatHistory history = new InMemoryChatHistory(3, 2);
		history.add(line("one", "a"));
		history.add(line("two", "b"));
		history.recent("one");
		history.add(line("three", "c"));
		assertThat(history.recent("two")).isEmpty();
		assertThat(history.recent("one")).extracting(Line::text).containsExactly("a");
		assertThat(history.recent("three")).extracting(Line::text).containsExactly("c");
	}

	private static Line line(String room, String text) {
		return new Line("message", text, room, "alice", text, 0, null);
	}

}
