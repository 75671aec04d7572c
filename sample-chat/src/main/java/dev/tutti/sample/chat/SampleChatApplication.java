package dev.tutti.sample.chat;

import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The sample chat: every message a browser sends over {@code /ws} is broadcast to every
 * open page, served from {@code /}.
 */
@SpringBootApplication
public class SampleChatApplication {

	/**
	 * Start the sample chat.
	 * @param args command-line arguments, such as {@code --server.port=9090}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleChatApplication.class, args);
	}

	@Bean
	TuttiHubCustomizer chat() {
		return (hub) -> hub.onMessage((session, text) -> hub.broadcast(text));
	}

}
