package dev.tutti.test;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.tutti.CloseStatus;
import org.jspecify.annotations.Nullable;

/**
 * The listener of a {@link TuttiTestClient}'s connection: reads everything the server
 * sends, reassembles partial messages, counts pings (the JDK answers them by itself) and
 * keeps whole messages in arrival order until a test takes them, together with the status
 * the connection ended with.
 * <p>
 * The JDK calls the listener methods one at a time; the other methods may be called from
 * any thread, and each message is taken by exactly one of them.
 */
final class Inbox implements WebSocket.Listener {

	private static final int QUOTED_LENGTH = 200;

	private final String peer;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final Deque<Message> messages = new ArrayDeque<>();

	private @Nullable CloseStatus closeStatus;

	private final AtomicInteger pings = new AtomicInteger();

	private final StringBuilder textParts = new StringBuilder();

	private final ByteArrayOutputStream binaryParts = new ByteArrayOutputStream();

	/**
	 * Create an inbox.
	 * @param peer how failure messages name the server, such as its URI
	 */
	Inbox(String peer) {
		this.peer = peer;
	}

	/**
	 * Take the next message, waiting for it if none has arrived.
	 * @param expected what the caller awaits, such as {@code "a text message"}
	 * @param timeout how long to wait
	 * @return the message
	 * @throws AssertionError if no message arrives within the timeout, or the connection
	 * ended before one did
	 */
	Message next(String expected, Duration timeout) {
		return next(expected, timeout, (message) -> true);
	}

	/**
	 * Take the next message that a predicate accepts, waiting for it if none has arrived,
	 * and discard the messages before it.
	 * @param expected what the caller awaits, such as {@code "a text message"}
	 * @param timeout how long to wait
	 * @param wanted the predicate
	 * @return the message
	 * @throws AssertionError if no accepted message arrives within the timeout, or the
	 * connection ended before one did; the message lists the discarded messages
	 */
	Message next(String expected, Duration timeout, Predicate<Message> wanted) {
		List<Message> skipped = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		lockInterruptibly(expected);
		try {
			while (true) {
				Message message = this.messages.poll();
				if (message != null) {
					if (wanted.test(message)) {
						return message;
					}
					skipped.add(message);
				}
				else if (this.closeStatus != null) {
					throw failure(expected, "", "the connection ended with " + this.closeStatus + skipped(skipped));
				}
				else {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						throw failure(expected, " within " + format(timeout), "none arrived" + skipped(skipped));
					}
					awaitChange(remaining, expected);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait for the given time, or until the connection ends, and fail if a message is
	 * waiting or arrives meanwhile. The message is left for the next caller.
	 * @param duration how long to wait
	 * @throws AssertionError if a message is waiting or arrives
	 */
	void expectNone(Duration duration) {
		String expected = "no message";
		String qualifier = " for " + format(duration);
		long deadline = System.nanoTime() + duration.toNanos();
		lockInterruptibly(expected);
		try {
			while (true) {
				Message message = this.messages.peek();
				if (message != null) {
					throw failure(expected, qualifier, "received " + message);
				}
				long remaining = deadline - System.nanoTime();
				if (this.closeStatus != null || remaining <= 0) {
					return;
				}
				awaitChange(remaining, expected);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait for the connection to end.
	 * @param timeout how long to wait
	 * @return the status it ended with
	 * @throws AssertionError if it does not end within the timeout
	 */
	CloseStatus awaitEnd(Duration timeout) {
		String expected = "a close";
		long deadline = System.nanoTime() + timeout.toNanos();
		lockInterruptibly(expected);
		try {
			while (this.closeStatus == null) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw failure(expected, " within " + format(timeout), "the connection is still open");
				}
				awaitChange(remaining, expected);
			}
			return this.closeStatus;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Record that the connection ended, unless it already had.
	 * @param status the status it ended with
	 */
	void end(CloseStatus status) {
		this.lock.lock();
		try {
			if (this.closeStatus == null) {
				this.closeStatus = status;
				this.changed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the status the connection ended with.
	 * @return the status, or {@code null} while it is open
	 */
	@Nullable CloseStatus closeStatus() {
		this.lock.lock();
		try {
			return this.closeStatus;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the number of pings received.
	 * @return the count
	 */
	int pings() {
		return this.pings.get();
	}

	/**
	 * Build a failure naming the server.
	 * @param expected what was expected, such as {@code "a text message"}
	 * @param outcome what happened instead
	 * @return the error to throw
	 */
	AssertionError failure(String expected, String outcome) {
		return failure(expected, "", outcome);
	}

	/**
	 * Build a failure naming the server.
	 * @param expected what was expected, such as {@code "a text message"}
	 * @param qualifier what follows the server's name, such as {@code " within 10s"}
	 * @param outcome what happened instead
	 * @return the error to throw
	 */
	AssertionError failure(String expected, String qualifier, String outcome) {
		return new AssertionError("Expected " + expected + " from " + this.peer + qualifier + ", but " + outcome);
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.textParts.append(data);
		if (last) {
			add(new Message(this.textParts.toString(), null));
			this.textParts.setLength(0);
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.binaryParts.writeBytes(bytes);
		if (last) {
			add(new Message(null, this.binaryParts.toByteArray()));
			this.binaryParts.reset();
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		this.pings.incrementAndGet();
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		end(new CloseStatus(statusCode, reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		end(CloseStatus.NO_CLOSE_FRAME.withReason(String.valueOf(error)));
	}

	private void add(Message message) {
		this.lock.lock();
		try {
			this.messages.add(message);
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void lockInterruptibly(String expected) {
		try {
			this.lock.lockInterruptibly();
		}
		catch (InterruptedException ex) {
			throw interrupted(expected, ex);
		}
	}

	private void awaitChange(long nanos, String expected) {
		try {
			this.changed.awaitNanos(nanos);
		}
		catch (InterruptedException ex) {
			throw interrupted(expected, ex);
		}
	}

	private AssertionError interrupted(String expected, InterruptedException ex) {
		Thread.currentThread().interrupt();
		AssertionError error = failure(expected, "the thread was interrupted");
		error.initCause(ex);
		return error;
	}

	private static String skipped(List<Message> skipped) {
		if (skipped.isEmpty()) {
			return "";
		}
		return "; skipped " + skipped.stream().map(Message::toString).collect(Collectors.joining(", "));
	}

	/**
	 * Format a duration for a failure message, such as {@code 10s} or {@code 250ms}.
	 * @param duration the duration
	 * @return the text
	 */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? TimeUnit.MILLISECONDS.toSeconds(millis) + "s" : millis + "ms";
	}

	/**
	 * A whole message: text or binary.
	 *
	 * @param text the text of a text message, or {@code null}
	 * @param binary the data of a binary message, or {@code null}
	 */
	record Message(@Nullable String text, byte @Nullable [] binary) {

		boolean isText() {
			return this.text != null;
		}

		@Override
		public String toString() {
			String text = this.text;
			if (text != null) {
				return (text.length() <= QUOTED_LENGTH) ? "text message '" + text + "'"
						: "text message '" + text.substring(0, QUOTED_LENGTH) + "...' (" + text.length() + " chars)";
			}
			byte[] binary = this.binary;
			int length = (binary != null) ? binary.length : 0;
			String hex = (binary != null) ? HexFormat.of().formatHex(binary, 0, Math.min(length, QUOTED_LENGTH / 2))
					: "";
			return "binary message of " + length + ((length == 1) ? " byte [" : " bytes [") + hex
					+ ((length > QUOTED_LENGTH / 2) ? "...]" : "]");
		}

	}

}
