package dev.tutti.sample.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The directory in Redis, two instances of it against the Redis on 127.0.0.1:6379 under a
 * key prefix of their own: one claim per nickname, presence counted per user, and what is
 * left of an instance that stops renewing its claims, as a crashed one does.
 */
class RedisChatDirectoryTests {

	private final String prefix = "tutti-chat-test-" + UUID.randomUUID();

	private LettuceConnectionFactory connections;

	private StringRedisTemplate redis;

	private RedisChatDirectory one;

	private RedisChatDirectory two;

	@BeforeEach
	void connect() {
		ChatCluster.assumeRedis();
		this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
		this.connections.afterPropertiesSet();
		this.connections.start();
		this.redis = new StringRedisTemplate(this.connections);
		this.one = new RedisChatDirectory(this.redis, this.prefix, "lobby", 3, Duration.ofMillis(600));
		this.two = new RedisChatDirectory(this.redis, this.prefix, "lobby", 3, Duration.ofMillis(600));
	}

	@AfterEach
	void disconnect() {
		if (this.connections != null) {
			this.one.close();
			this.two.close();
			this.redis.delete(this.redis.keys(this.prefix + ":*"));
			this.connections.destroy();
		}
	}

	@Test
	void aNicknameHasOneOwnerAcrossInstancesAndKeepsItsFirstSpelling() {
		assertThat(this.one.claim("Ann", "key:a", "s1")).isTrue();
		assertThat(this.two.claim("ANN", "key:b", "s2")).isFalse();
		assertThat(this.two.claim("ann", "key:a", "s3")).isTrue();
		assertThat(this.two.spelling("aNN")).isEqualTo("Ann");
		assertThat(this.two.isOnline("ann")).isTrue();
		this.one.release("Ann", "s1");
		assertThat(this.one.claim("ann", "key:b", "s4")).isFalse();
		this.two.release("ann", "s3");
		assertThat(this.one.isOnline("Ann")).isFalse();
		assertThat(this.one.claim("ann", "key:b\nwith a newline", "s4")).isTrue();
		assertThat(this.two.claim("ann", "key:b", "s5")).isFalse();
		assertThat(this.two.spelling("ANN")).isEqualTo("ann");
	}

	@Test
	void aUserIsPresentOnceWhateverTheirSessionsAndInstances() {
		assertThat(this.one.enter("kitchen", "Ann", "s1")).isTrue();
		assertThat(this.two.enter("kitchen", "Ann", "s2")).isFalse();
		assertThat(this.two.enter("kitchen", "bob", "s3")).isTrue();
		assertThat(this.one.present("kitchen")).containsExactly("Ann", "bob");
		assertThat(this.two.rooms()).isEqualTo(Map.of("lobby", 0, "kitchen", 2));
		assertThat(this.one.exit("kitchen", "Ann", "s1")).isFalse();
		assertThat(this.two.exit("kitchen", "Ann", "s2")).isTrue();
		assertThat(this.two.exit("kitchen", "Ann", "s2")).isFalse();
		assertThat(this.one.rooms()).isEqualTo(Map.of("lobby", 0, "kitchen", 1));
		assertThat(this.two.exit("kitchen", "bob", "s3")).isTrue();
		assertThat(this.one.rooms()).isEqualTo(Map.of("lobby", 0));
		assertThat(this.one.present("kitchen")).isEmpty();
	}

	@Test
	void noMoreRoomsThanTheLimitAcrossInstances() {
		this.one.enter("a", "ann", "s1");
		this.two.enter("b", "bob", "s2");
		assertThat(this.one.canOpen("c")).isTrue();
		this.two.enter("c", "bob", "s2");
		assertThat(this.one.canOpen("d")).isFalse();
		assertThat(this.one.canOpen("b")).isTrue();
		assertThat(this.one.canOpen("lobby")).isTrue();
	}

	@Test
	void theClaimsOfALiveInstanceAreRenewedAndThoseOfACrashedOneExpire() {
		this.one.claim("ann", "key:a", "s1");
		this.one.enter("kitchen", "ann", "s1");
		this.two.claim("bob", "key:b", "s2");
		this.two.enter("kitchen", "bob", "s2");
		this.one.close();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.two.claim("ann", "key:c", "s3") && this.two.present("kitchen").equals(List.of("bob")));
		assertThat(this.two.rooms()).containsEntry("kitchen", 1);
		assertThat(this.two.isOnline("bob")).isTrue();
		assertThat(this.one.claim("bob", "key:a", "s4")).as("bob's instance renewed his claim").isFalse();
	}

	@Test
	void aTimeToLiveTooShortToRenewIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisChatDirectory(this.redis, this.prefix, "lobby", 3, Duration.ofMillis(10)))
			.withMessageContaining("at least 300ms");
	}

}
