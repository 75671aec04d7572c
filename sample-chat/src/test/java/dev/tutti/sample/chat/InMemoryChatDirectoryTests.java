package dev.tutti.sample.chat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nicknames and presence in memory.
 */
class InMemoryChatDirectoryTests {

	private final InMemoryChatDirectory directory = new InMemoryChatDirectory("lobby", 2);

	@Test
	void aNicknameBelongsToOneOwnerIgnoringCaseUntilItsLastSessionIsGone() {
		assertThat(this.directory.claim("Alice", "key:a", "s1")).isTrue();
		assertThat(this.directory.claim("alice", "key:a", "s2")).isTrue();
		assertThat(this.directory.claim("ALICE", "key:b", "s3")).isFalse();
		assertThat(this.directory.spelling("aLiCe")).isEqualTo("Alice");
		assertThat(this.directory.isOnline("alice")).isTrue();

		this.directory.release("Alice", "s1");
		assertThat(this.directory.claim("alice", "key:b", "s3")).isFalse();
		this.directory.release("alice", "s2");
		assertThat(this.directory.isOnline("alice")).isFalse();
		assertThat(this.directory.claim("alice", "key:b", "s3")).isTrue();
		assertThat(this.directory.spelling("Alice")).isEqualTo("alice");
	}

	@Test
	void aUserIsPresentWhileOneOfTheirSessionsIsInTheRoom() {
		assertThat(this.directory.enter("kitchen", "bob", "s1")).isTrue();
		assertThat(this.directory.enter("kitchen", "Bob", "s2")).isFalse();
		assertThat(this.directory.enter("kitchen", "alice", "s3")).isTrue();
		assertThat(this.directory.present("kitchen")).containsExactly("alice", "bob");
		assertThat(this.directory.rooms()).isEqualTo(Map.of("kitchen", 2, "lobby", 0));

		assertThat(this.directory.exit("kitchen", "bob", "s1")).isFalse();
		assertThat(this.directory.present("kitchen")).containsExactly("alice", "bob");
		assertThat(this.directory.exit("kitchen", "bob", "s2")).isTrue();
		assertThat(this.directory.exit("kitchen", "bob", "s2")).isFalse();
		assertThat(this.directory.exit("kitchen", "alice", "s3")).isTrue();
		assertThat(this.directory.present("kitchen")).isEmpty();
		assertThat(this.directory.rooms()).isEqualTo(Map.of("lobby", 0));
	}

	@Test
	void opensNoMoreRoomsThanItsLimitButTheDefaultRoomAndExistingOnes() {
		this.directory.enter("one", "alice", "s1");
		this.directory.enter("two", "alice", "s1");
		assertThat(this.directory.canOpen("three")).isFalse();
		assertThat(this.directory.canOpen("one")).isTrue();
		assertThat(this.directory.canOpen("lobby")).isTrue();
		this.directory.exit("two", "alice", "s1");
		assertThat(this.directory.canOpen("three")).isTrue();
	}

}
