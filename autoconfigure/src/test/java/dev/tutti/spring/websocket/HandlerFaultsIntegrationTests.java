package dev.tutti.spring.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.tutti.Session;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message handler that throws for one session and one that blocks for seconds for
 * another: every other session keeps receiving broadcasts while the blocked handler is
 * still blocked, the thrown exception reaches {@code onError}, and both sessions stay
 * open. The pong timeout is longer than the block, since a blocked handler also holds up
 * its session's pongs.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tutti.ping-period=200ms", "tutti.pong-timeout=30s", "tutti.write-timeout=2s" })
class HandlerFaultsIntegrationTests extends AbstractIntegrationTests {

	private static final Duration BLOCK = Duration.ofSeconds(2);

	@Test
	void handlersThatThrowOrBlockDoNotDelayOtherSessions() throws Exception {
		IllegalStateException failure = new IllegalStateException("handler failed");
		CountDownLatch blocked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch unblocked = new CountDownLatch(1);
		this.events.onMessage((session, text) -> {
			switch (text) {
				case "throw" -> throw failure;
				case "block" -> {
					blocked.countDown();
					boolean released = release.await(30, TimeUnit.SECONDS);
					unblocked.countDown();
					session.write(released ? "released" : "timed out");
				}
				default -> {
					if (text.startsWith("shout ")) {
						this.hub.broadcast(text.substring("shout ".length()));
					}
					else {
						session.write(text);
					}
				}
			}
		});
		TuttiTestClient thrower = connect();
		Session throwerSession = this.events.session(thrower);
		TuttiTestClient blocker = connect();
		Session blockerSession = this.events.session(blocker);
		List<TuttiTestClient> others = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			others.add(connect());
			this.events.session(others.get(i));
		}
		List<TuttiTestClient> everyone = new ArrayList<>(others);
		everyone.add(thrower);
		everyone.add(blocker);
		blocker.sendText("block");
		assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
		thrower.sendText("throw");
		await().untilAsserted(() -> assertThat(this.events.errorsOf(throwerSession)).containsExactly(failure));

		// For BLOCK, broadcasts from another session's handler and from the application
		// reach every other session (and the blocked one, whose writer does not wait for
		// its reader) while the handler stays blocked
		int rounds = 0;
		long deadline = System.nanoTime() + BLOCK.toNanos();
		while (System.nanoTime() < deadline) {
			String shouted = "shouted " + rounds;
			String broadcast = "broadcast " + rounds;
			others.get(rounds % others.size()).sendText("shout " + shouted);
			// Everyone has it before the next broadcast, which could otherwise overtake
			// it
			// on its way to sessions the first one had not reached yet
			for (TuttiTestClient client : everyone) {
				assertThat(client.awaitText()).isEqualTo(shouted);
			}
			this.hub.broadcast(broadcast);
			for (TuttiTestClient client : everyone) {
				assertThat(client.awaitText()).isEqualTo(broadcast);
			}
			rounds++;
		}
		assertThat(unblocked.getCount()).isOne();
		assertThat(rounds).isPositive();

		// Both sessions are still open and served
		assertThat(throwerSession.isClosed()).isFalse();
		assertThat(blockerSession.isClosed()).isFalse();
		thrower.sendText("after the exception");
		assertThat(thrower.awaitText()).isEqualTo("after the exception");
		release.countDown();
		assertThat(blocker.awaitText()).isEqualTo("released");
		blocker.sendText("after the block");
		assertThat(blocker.awaitText()).isEqualTo("after the block");
		assertThat(this.events.errorsOf(blockerSession)).isEmpty();
		assertThat(this.events.disconnects()).isEmpty();
	}

}
