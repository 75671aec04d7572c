package dev.tutti;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for handlers that throw: the error goes to the error handler and the hub and the
 * other sessions keep working.
 */
class HandlerErrorTests {

	private final Hub hub = Hub.create();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final IllegalStateException failure = new IllegalStateException("handler failed");

	HandlerErrorTests() {
		this.hub.onError((session, error) -> this.errors.add(error));
	}

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void connectHandlerThatThrowsIsReported() {
		this.hub.onConnect((session) -> {
			throw this.failure;
		});
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		assertThat(this.errors).containsExactly(this.failure);
		assertThat(connection.session().isClosed()).isFalse();
		assertThat(this.hub.size()).isOne();
		assertThat(this.hub.broadcast("still works")).isEqualTo(new BroadcastResult(1, 0));
		assertThat(connection.texts()).containsExactly("still works");
	}

	@Test
	void messageHandlerThatThrowsIsReportedAndOthersKeepWorking() {
		this.hub.onMessage((session, text) -> {
			if (text.equals("boom")) {
				throw this.failure;
			}
			session.write("echo " + text);
		});
		TestConnection failing = new TestConnection();
		failing.open(this.hub);
		TestConnection other = new TestConnection();
		other.open(this.hub);
		failing.listener().onText("boom", true);
		failing.listener().onText("again", true);
		other.listener().onText("hi", true);
		assertThat(this.errors).containsExactly(this.failure);
		assertThat(failing.texts()).containsExactly("echo again");
		assertThat(other.texts()).containsExactly("echo hi");
		assertThat(this.hub.size()).isEqualTo(2);
	}

	@Test
	void binaryMessageHandlerThatThrowsIsReported() {
		this.hub.onBinaryMessage((session, data) -> {
			throw this.failure;
		});
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		connection.listener().onBinary(ByteBuffer.wrap(new byte[] { 1 }), true);
		assertThat(this.errors).containsExactly(this.failure);
		assertThat(connection.session().isClosed()).isFalse();
	}

	@Test
	void sentMessageHandlerThatThrowsIsReportedAndWritingGoesOn() {
		this.hub.onSentMessage((session, text) -> {
			throw this.failure;
		});
		this.hub.onSentBinaryMessage((session, data) -> {
			throw this.failure;
		});
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		connection.session().write("one");
		connection.session().writeBinary(new byte[] { 2 });
		connection.session().write("three");
		assertThat(connection.events()).containsExactly("text:one", "binary:1", "text:three");
		assertThat(this.errors).containsExactly(this.failure, this.failure, this.failure);
		assertThat(connection.session().isClosed()).isFalse();
	}

	@Test
	void disconnectHandlerThatThrowsIsReported() {
		this.hub.onDisconnect((session, status) -> {
			throw this.failure;
		});
		TestConnection first = new TestConnection();
		first.open(this.hub);
		TestConnection second = new TestConnection();
		second.open(this.hub);
		first.session().close();
		assertThat(this.errors).containsExactly(this.failure);
		assertThat(this.hub.size()).isOne();
		assertThat(this.hub.broadcast("still works")).isEqualTo(new BroadcastResult(1, 0));
		this.hub.close();
		assertThat(this.errors).containsExactly(this.failure, this.failure);
		assertThat(this.hub.size()).isZero();
	}

	@Test
	void closeAndPongHandlersThatThrowAreReported() {
		this.hub.onClose((session, status) -> {
			throw this.failure;
		});
		this.hub.onPong((session) -> {
			throw this.failure;
		});
		List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();
		this.hub.onDisconnect((session, status) -> disconnects.add(status));
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		connection.listener().onPong(ByteBuffer.allocate(0));
		connection.listener().onClosed(1000, "");
		assertThat(this.errors).containsExactly(this.failure, this.failure);
		assertThat(disconnects).containsExactly(CloseStatus.NORMAL);
	}

	@Test
	void errorHandlerThatThrowsIsSwallowed() {
		this.hub.onError((session, error) -> {
			throw new IllegalStateException("error handler failed");
		});
		this.hub.onMessage((session, text) -> {
			if (text.equals("boom")) {
				throw this.failure;
			}
			session.write(text);
		});
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		connection.listener().onText("boom", true);
		connection.listener().onText("fine", true);
		connection.listener().onError(new IllegalStateException("transport"));
		assertThat(connection.texts()).containsExactly("fine");
		assertThat(this.hub.size()).isOne();
	}

	@Test
	void handlersOfOneKindAllRunInOrderEvenAfterOneThrows() {
		List<String> calls = new CopyOnWriteArrayList<>();
		List<Throwable> secondErrors = new CopyOnWriteArrayList<>();
		this.hub.onError((session, error) -> secondErrors.add(error));
		this.hub.onConnect((session) -> {
			calls.add("first");
			throw this.failure;
		});
		this.hub.onConnect((session) -> calls.add("second"));
		new TestConnection().open(this.hub);
		assertThat(calls).containsExactly("first", "second");
		assertThat(this.errors).containsExactly(this.failure);
		assertThat(secondErrors).containsExactly(this.failure);
	}

	@Test
	void withoutErrorHandlersClientCausedErrorsAreLoggedAtDebugWithoutStackTrace() {
		Logger logger = Logger.getLogger(Hub.class.getName());
		List<LogRecord> records = new CopyOnWriteArrayList<>();
		Handler capture = new Handler() {

			@Override
			public void publish(LogRecord record) {
				records.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		Level level = logger.getLevel();
		logger.setLevel(Level.ALL);
		logger.addHandler(capture);
		Hub plain = Hub.create();
		try {
			plain.onMessage((session, text) -> {
				throw this.failure;
			});
			TestConnection connection = new TestConnection();
			connection.open(plain);
			connection.listener().onText("boom", true);
			connection.listener().onError(new IOException("Broken pipe"));
			assertThat(records).hasSize(2);
			assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
			assertThat(records.get(0).getThrown()).isSameAs(this.failure);
			assertThat(records.get(1).getLevel()).isEqualTo(Level.FINE);
			assertThat(records.get(1).getThrown()).isNull();
			assertThat(records.get(1).getMessage()).contains("Broken pipe");
		}
		finally {
			logger.removeHandler(capture);
			logger.setLevel(level);
			plain.close();
		}
	}

}
