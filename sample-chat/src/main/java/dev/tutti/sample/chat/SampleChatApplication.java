package dev.tutti.sample.chat;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The sample chat: pages served from {@code /} pick a nickname, join rooms and talk over
 * the hub at {@code /ws}; {@code /ops.html} charts the hub's meters.
 */
@SpringBootApplication
public class SampleChatApplication {

	/** How many messages of each room a page gets when it joins. */
	static final int HISTORY_PER_ROOM = 50;

	/** How many rooms may have users at once. */
	static final int MAX_ROOMS = 100;

	/**
	 * Start the sample chat.
	 * @param args command-line arguments, such as {@code --server.port=9090}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleChatApplication.class, args);
	}

	@Bean
	ChatDirectory chatDirectory() {
		return new InMemoryChatDirectory(Chat.LOBBY, MAX_ROOMS);
	}

	@Bean
	ChatHistory chatHistory() {
		return new ChatHistory(HISTORY_PER_ROOM, 10 * MAX_ROOMS);
	}

	@Bean
	Chat chat(ChatDirectory directory, ChatHistory history) {
		return new Chat(directory, history, Clock.systemUTC());
	}

}
