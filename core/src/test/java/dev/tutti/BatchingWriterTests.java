package dev.tutti;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;
import static org.awaitility.Awaitility.await;

/**
 * Tests for sessions on a batching transport: drains run on the hub's writer threads,
 * send every queued message and flush once.
 */
class BatchingWriterTests {

	private final Hub hub = Hub.create();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void messagesQueuedDuringAFlushGoOutWithTheNextFlush() throws Exception {
		BatchingConnection connection = open();
		connection.blockFlushes();
		Session session = connection.session();

		session.write("a");
		connection.awaitFlushStarted();
		session.write("b");
		session.write("c");
		session.write("d");
		connection.releaseFlushes();

		await().until(() -> connection.events().size() == 6);
		assertThat(connection.events()).containsExactly("text:a", "flush", "text:b", "text:c", "text:d", "flush");
	}

	@Test
	void drainsRunOnWriterThreads() {
		BatchingConnection connection = open();

		connection.session().write("x");

		await().until(() -> connection.events().contains("flush"));
		assertThat(connection.sendThreads).singleElement().asString().startsWith("tutti-tutti-writer-");
	}

	@Test
	void aMessageCountsAsWrittenWhenItsFlushSucceeds() throws Exception {
		List<String> sent = new CopyOnWriteArrayList<>();
		this.hub.onSentMessage((session, text) -> sent.add(text));
		BatchingConnection connection = open();
		connection.blockFlushes();

		CompletableFuture<Void> written = connection.session().writeAsync("x").toCompletableFuture();
		connection.awaitFlushStarted();

		assertThat(connection.texts()).containsExactly("x");
		assertThat(written).isNotDone();
		assertThat(sent).isEmpty();
		connection.releaseFlushes();
		await().until(written::isDone);
		assertThat(written).isCompleted();
		assertThat(sent).containsExactly("x");
	}

	@Test
	void aFailedFlushFailsItsMessagesAndClosesTheSession() {
		BatchingConnection connection = open();
		connection.failFlushes = true;

		CompletableFuture<Void> written = connection.session().writeAsync("x").toCompletableFuture();

		await().until(written::isDone);
		assertThat(written).isCompletedExceptionally();
		await().until(() -> connection.session().isClosed());
		assertThat(this.errors).singleElement(THROWABLE)
			.isInstanceOf(ConnectionLostException.class)
			.hasCauseInstanceOf(IOException.class);
		await().until(() -> !connection.closes().isEmpty());
		assertThat(connection.closes()).containsExactly(CloseStatus.SERVER_ERROR.withReason("Write failed"));
	}

	@Test
	void clientsThatStopReadingDoNotHoldUpTheOthers() throws Exception {
		int writers = Runtime.getRuntime().availableProcessors();
		List<BatchingConnection> stalled = new ArrayList<>();
		for (int i = 0; i <= writers; i++) {
			BatchingConnection connection = open();
			connection.blockFlushes();
			connection.session().write("stuck");
			connection.awaitFlushStarted();
			stalled.add(connection);
		}
		BatchingConnection healthy = open();

		healthy.session().write("x");

		// The stalled flushes block until released; the healthy session must not wait for
		// them, so it is served by a writer thread added for them.
		await().atMost(Duration.ofSeconds(20)).until(() -> healthy.events().contains("flush"));
		assertThat(stalled).allSatisfy((connection) -> assertThat(connection.events()).doesNotContain("flush"));
		assertThat(this.hub.threads().writerPool().getCorePoolSize()).isGreaterThan(writers);
		stalled.forEach(BatchingConnection::releaseFlushes);
		await().until(() -> this.hub.threads().writerPool().getCorePoolSize() == writers);
	}

	@Test
	void busySessionsYieldTheirWriterThreadAfterEachBatch() {
		int writers = Runtime.getRuntime().availableProcessors();
		List<BatchingConnection> busy = new ArrayList<>();
		for (int i = 0; i < writers; i++) {
			BatchingConnection connection = open();
			connection.producesWhileSending = true;
			busy.add(connection);
		}
		busy.forEach((connection) -> connection.session().write("start"));
		await().until(() -> busy.stream().allMatch((connection) -> connection.texts().size() > 1_000));
		BatchingConnection quiet = open();

		quiet.session().write("quiet");

		await().atMost(Duration.ofSeconds(5)).until(() -> quiet.events().contains("flush"));
		int capacity = this.hub.config().outboundBufferSize();
		assertThat(busy)
			.allSatisfy((connection) -> assertThat(connection.mostSentBetweenFlushes).hasValueBetween(1, capacity));
	}

	@Test
	void anErrorEscapingADrainClosesTheSessionAndKeepsTheWriterThread() {
		BatchingConnection failing = open();
		failing.errorOnSend = new StackOverflowError("deep");

		CompletableFuture<Void> written = failing.session().writeAsync("x").toCompletableFuture();

		await().until(written::isDone);
		assertThat(written).isCompletedExceptionally();
		await().until(() -> !failing.closes().isEmpty());
		assertThat(failing.closes()).containsExactly(CloseStatus.SERVER_ERROR.withReason("Write failed"));
		assertThat(this.errors).singleElement().isInstanceOf(StackOverflowError.class);
		BatchingConnection healthy = open();
		healthy.session().write("still served");
		await().until(() -> healthy.events().contains("flush"));
	}

	@Test
	void aGracefulCloseFlushesBeforeTheCloseFrame() {
		BatchingConnection connection = open();

		connection.session().write("last");
		connection.session().close();

		await().until(() -> connection.events().contains("close:1000"));
		assertThat(connection.events()).containsSubsequence("text:last", "flush", "close:1000");
	}

	private BatchingConnection open() {
		this.hub.onError((session, error) -> this.errors.add(error));
		BatchingConnection connection = new BatchingConnection();
		connection.open(this.hub);
		return connection;
	}

	/**
	 * A batching test connection that records flushes and the threads sends run on, and
	 * can block or fail its flushes.
	 */
	private static final class BatchingConnection extends TestConnection {

		final List<String> sendThreads = new CopyOnWriteArrayList<>();

		private final CountDownLatch flushStarted = new CountDownLatch(1);

		private volatile CountDownLatch flushGate = new CountDownLatch(0);

		volatile boolean failFlushes;

		/** Whether every send writes one more message, as a steady producer would. */
		volatile boolean producesWhileSending;

		volatile @Nullable Error errorOnSend;

		final AtomicInteger mostSentBetweenFlushes = new AtomicInteger();

		private int sentSinceFlush;

		void blockFlushes() {
			this.flushGate = new CountDownLatch(1);
		}

		void releaseFlushes() {
			this.flushGate.countDown();
		}

		void awaitFlushStarted() throws InterruptedException {
			assertThat(this.flushStarted.await(5, TimeUnit.SECONDS)).isTrue();
		}

		@Override
		public boolean isBatching() {
			return true;
		}

		@Override
		public void sendText(String text, SendCallback callback) {
			Error error = this.errorOnSend;
			if (error != null) {
				throw error;
			}
			this.sendThreads.add(Thread.currentThread().getName());
			this.sentSinceFlush++;
			if (this.producesWhileSending && !session().isClosed()) {
				session().write("more");
			}
			super.sendText(text, callback);
		}

		@Override
		public void flush(SendCallback callback) {
			this.flushStarted.countDown();
			Throwable failure = null;
			try {
				this.flushGate.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.failFlushes) {
				failure = new IOException("Broken pipe");
			}
			recordEvent("flush");
			this.mostSentBetweenFlushes.accumulateAndGet(this.sentSinceFlush, Math::max);
			this.sentSinceFlush = 0;
			callback.completed(failure);
		}

	}

}
