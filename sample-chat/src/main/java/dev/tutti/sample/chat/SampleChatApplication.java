package dev.tutti.sample.chat;

import java.time.Clock;
import java.time.Duration;

import dev.tutti.Codec;

import org.springframework.boot.SpringApplication;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

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

	/**
	 * Nicknames, presence and history in this instance's memory: one instance, nothing
	 * else needed.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "tutti.cluster.backplane", havingValue = "none", matchIfMissing = true)
	static class InMemoryState {

		@Bean
		ChatDirectory chatDirectory() {
			return new InMemoryChatDirectory(Chat.LOBBY, MAX_ROOMS);
		}

		@Bean
		ChatHistory chatHistory() {
			return new InMemoryChatHistory(HISTORY_PER_ROOM, 10 * MAX_ROOMS);
		}

	}

	/**
	 * Nicknames, presence and history in Redis, shared by every instance, when the hub's
	 * broadcasts cross instances through the Redis backplane
	 * ({@code tutti.cluster.backplane=redis}, as the {@code cluster} profile sets).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "tutti.cluster.backplane", havingValue = "redis")
	static class RedisState {

		@Bean(destroyMethod = "close")
		RedisChatDirectory chatDirectory(StringRedisTemplate redis, @Value("${chat.redis.key-prefix}") String prefix,
				@Value("${chat.redis.claim-ttl}") Duration ttl) {
			return new RedisChatDirectory(redis, prefix, Chat.LOBBY, MAX_ROOMS, ttl);
		}

		@Bean
		ChatHistory chatHistory(StringRedisTemplate redis, Codec codec,
				@Value("${chat.redis.key-prefix}") String prefix, @Value("${chat.redis.history-ttl}") Duration keep) {
			return new RedisChatHistory(redis, codec, prefix, HISTORY_PER_ROOM, keep);
		}

	}

	@Bean
	Chat chat(ChatDirectory directory, ChatHistory history) {
		return new Chat(directory, history, Clock.systemUTC());
	}

}
