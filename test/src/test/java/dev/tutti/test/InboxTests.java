package dev.tutti.test;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tutti.CloseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Inbox}, fed through its listener methods as the JDK would call them.
 */
class InboxTests {

	private static final Duration LONG = Duration.ofMinutes(1);

	private final StubWebSocket webSocket = new StubWebSocket();

	private final Inbox inbox = new Inbox("ws://server/ws");

	@Test
	void requestsEveryMessageOnOpen() {
		this.inbox.onOpen(this.webSocket);
		assertThat(this.webSocket.requested).hasValue(Long.MAX_VALUE);
	}

	@Test
	void reassemblesPartialTextMessages() {
		this.inbox.onText(this.webSocket, "caf", false);
		this.inbox.onText(this.webSocket, "\u00e9 ", false);
		this.inbox.onText(this.webSocket, "\ud83c\udf75", true);
		this.inbox.onText(this.webSocket, "next", true);
		assertThat(this.inbox.next("a message", LONG).text()).isEqualTo("caf\u00e9 \ud83c\udf75");
		assertThat(this.inbox.next("a message", LONG).text()).isEqualTo("next");
	}

	@Test
	void reassemblesPartialBinaryMessages() {
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[] { 1, 2 }), false);
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[] { 3 }), true);
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[] { 4 }), true);
		assertThat(this.inbox.next("a message", LONG).binary()).containsExactly(1, 2, 3);
		assertThat(this.inbox.next("a message", LONG).binary()).containsExactly(4);
	}

	@Test
	void keepsTextAndBinaryMessagesInArrivalOrder() {
		this.inbox.onText(this.webSocket, "one", true);
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[] { 2 }), true);
		this.inbox.onText(this.webSocket, "three", true);
		assertThat(this.inbox.next("a message", LONG).text()).isEqualTo("one");
		assertThat(this.inbox.next("a message", LONG).binary()).containsExactly(2);
		assertThat(this.inbox.next("a message", LONG).text()).isEqualTo("three");
	}

	@Test
	void wakesAWaitingTakerWhenAMessageArrives() {
		CompletableFuture<Inbox.Message> taken = CompletableFuture
			.supplyAsync(() -> this.inbox.next("a message", LONG));
		this.inbox.onText(this.webSocket, "late", true);
		assertThat(taken).succeedsWithin(10, TimeUnit.SECONDS).extracting(Inbox.Message::text).isEqualTo("late");
	}

	@Test
	void failsNamingTheServerWhenNothingArrivesInTime() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.inbox.next("a text message", Duration.ofMillis(50)))
			.withMessage("Expected a text message from ws://server/ws within 50ms, but none arrived");
	}

	@Test
	@Timeout(10)
	void failsAtOnceOnceTheConnectionEndedAndNothingIsQueued() {
		this.inbox.onText(this.webSocket, "before the end", true);
		this.inbox.onClose(this.webSocket, 4001, "kicked");
		assertThat(this.inbox.next("a message", LONG).text()).isEqualTo("before the end");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.inbox.next("a text message", LONG))
			.withMessage("Expected a text message from ws://server/ws, but the connection ended with 4001 (kicked)");
	}

	@Test
	void skipsUnwantedMessagesAndListsThemWhenNoneIsWanted() {
		this.inbox.onText(this.webSocket, "skipped", true);
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[] { 10, 11 }), true);
		this.inbox.onText(this.webSocket, "wanted", true);
		assertThat(this.inbox.next("a wanted message", LONG, (message) -> "wanted".equals(message.text())).text())
			.isEqualTo("wanted");
		this.inbox.onText(this.webSocket, "skipped again", true);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.inbox.next("a wanted message", Duration.ofMillis(50), (message) -> false))
			.withMessage("Expected a wanted message from ws://server/ws within 50ms, but none arrived; "
					+ "skipped text message 'skipped again'");
	}

	@Test
	void describesLongTextAndBinaryMessagesShortly() {
		this.inbox.onText(this.webSocket, "x".repeat(1000), true);
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[] { 0, 127, -1 }), true);
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[1000]), true);
		assertThat(this.inbox.next("a message", LONG))
			.hasToString("text message '" + "x".repeat(200) + "...' (1000 chars)");
		assertThat(this.inbox.next("a message", LONG)).hasToString("binary message of 3 bytes [007fff]");
		assertThat(this.inbox.next("a message", LONG))
			.hasToString("binary message of 1000 bytes [" + "00".repeat(100) + "...]");
	}

	@Test
	void expectNoneFailsOnAQueuedMessageAndLeavesItQueued() {
		this.inbox.onText(this.webSocket, "unexpected", true);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.inbox.expectNone(Duration.ofMillis(50)))
			.withMessage("Expected no message from ws://server/ws for 50ms, but received text message 'unexpected'");
		assertThat(this.inbox.next("a message", LONG).text()).isEqualTo("unexpected");
	}

	@Test
	void expectNoneFailsOnAMessageArrivingWhileItWaits() {
		CompletableFuture<Void> expectation = CompletableFuture
			.runAsync(() -> this.inbox.expectNone(Duration.ofSeconds(30)));
		this.inbox.onBinary(this.webSocket, ByteBuffer.wrap(new byte[] { 1 }), true);
		assertThat(expectation).failsWithin(10, TimeUnit.SECONDS)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(AssertionError.class)
			.withMessageContaining("but received binary message of 1 byte [01]");
	}

	@Test
	void expectNonePassesWhenNothingArrives() {
		this.inbox.expectNone(Duration.ofMillis(50));
	}

	@Test
	@Timeout(10)
	void expectNoneReturnsOnceTheConnectionEnded() {
		this.inbox.onClose(this.webSocket, 1000, "");
		this.inbox.expectNone(LONG);
	}

	@Test
	void countsPings() {
		this.inbox.onPing(this.webSocket, ByteBuffer.allocate(0));
		this.inbox.onPing(this.webSocket, ByteBuffer.allocate(1));
		assertThat(this.inbox.pings()).isEqualTo(2);
	}

	@Test
	void keepsTheFirstStatusTheConnectionEndedWith() {
		assertThat(this.inbox.closeStatus()).isNull();
		this.inbox.onClose(this.webSocket, 1001, "going");
		this.inbox.end(CloseStatus.NO_CLOSE_FRAME);
		assertThat(this.inbox.closeStatus()).isEqualTo(new CloseStatus(1001, "going"));
		assertThat(this.inbox.awaitEnd(LONG)).isEqualTo(new CloseStatus(1001, "going"));
	}

	@Test
	void reportsAnErrorAs1006WithTheError() {
		this.inbox.onError(this.webSocket, new IllegalStateException("broken pipe"));
		assertThat(this.inbox.awaitEnd(LONG))
			.isEqualTo(CloseStatus.NO_CLOSE_FRAME.withReason("java.lang.IllegalStateException: broken pipe"));
	}

	@Test
	void awaitEndFailsWhileTheConnectionStaysOpen() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.inbox.awaitEnd(Duration.ofMillis(50)))
			.withMessage("Expected a close from ws://server/ws within 50ms, but the connection is still open");
	}

	@Test
	void keepsTheInterruptStatusOfAnInterruptedTaker() {
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.inbox.next("a message", LONG))
				.withMessageEndingWith("but the thread was interrupted")
				.withCauseInstanceOf(InterruptedException.class);
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void formatsDurations() {
		assertThat(Inbox.format(Duration.ofSeconds(10))).isEqualTo("10s");
		assertThat(Inbox.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
	}

	/**
	 * The listener's view of a connection: only {@link #request(long)} is used.
	 */
	private static final class StubWebSocket implements WebSocket {

		private final AtomicLong requested = new AtomicLong();

		@Override
		public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void request(long n) {
			this.requested.addAndGet(n);
		}

		@Override
		public String getSubprotocol() {
			return "";
		}

		@Override
		public boolean isOutputClosed() {
			return false;
		}

		@Override
		public boolean isInputClosed() {
			return false;
		}

		@Override
		public void abort() {
		}

	}

}
