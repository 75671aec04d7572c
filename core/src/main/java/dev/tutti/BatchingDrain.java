package dev.tutti;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;

/**
 * The drain of a {@link Connection#isBatching() batching} connection, run on the hub's
 * writer threads because its sends and flushes block (for at most the write timeout).
 * <p>
 * One run writes the messages that were queued when it started (and a due ping) into the
 * transport's buffer, flushes once, settles those messages (a message counts as written
 * when the flush that carried it succeeds) and, if more arrived meanwhile, submits itself
 * again behind the other sessions' drains. So the messages that arrive while a drain runs
 * go out together in the next write, a busy session never holds a writer thread for more
 * than one batch, and a batch never holds more messages than the queue's capacity.
 * <p>
 * Whatever a run throws, {@link Error}s included, fails its messages and closes the
 * session with 1011; the writer thread lives on.
 */
final class BatchingDrain implements Drain, Runnable, SendCallback {

	private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

	private final DefaultSession session;

	private final Connection connection;

	/** Whether the connection takes text as UTF-8, read once. */
	private final boolean encodedText;

	/**
	 * The messages of the current run, created by the first; only the running drain
	 * touches it.
	 */
	private @Nullable List<Outbound> batch;

	/** Whether the transport completed the last call, and how. */
	private boolean completed;

	private @Nullable Throwable failure;

	BatchingDrain(DefaultSession session, Connection connection) {
		this.session = session;
		this.connection = connection;
		this.encodedText = connection.sendsEncodedText();
	}

	@Override
	public void start() {
		this.session.threads().writers().execute(this);
	}

	@Override
	public boolean sendsDirectly() {
		return false;
	}

	@Override
	public void send(Outbound message) {
		throw new IllegalStateException("A batching drain never sends directly");
	}

	@Override
	public void run() {
		try {
			if (writeBatch()) {
				next();
			}
		}
		catch (Throwable ex) {
			this.session.writer().stopTimer();
			settle(ex);
			this.session.writeFailed(ex, false);
		}
	}

	/**
	 * Write what was queued when the run started, and flush.
	 * @return whether every write succeeded
	 */
	private boolean writeBatch() {
		int budget = this.session.writer().queued();
		boolean ping = this.session.writer().takePing();
		for (int i = 0; i < budget; i++) {
			Outbound message = this.session.writer().poll();
			if (message == null) {
				break;
			}
			batch().add(message);
			this.session.writer().startTimer(message.timeoutNanos);
			if (message.isBinary()) {
				this.connection.sendBinary(message.newBuffer(), this);
			}
			else if (this.encodedText) {
				this.connection.sendText(message.text(), message.newUtf8Buffer(), this);
			}
			else {
				this.connection.sendText(message.text(), this);
			}
			if (!succeeded()) {
				return false;
			}
		}
		if (ping || (this.batch != null && !this.batch.isEmpty())) {
			this.session.writer().startTimer(0);
			if (ping) {
				// A ping flushes what the sends buffered.
				this.connection.sendPing(NO_PAYLOAD.duplicate(), this);
			}
			else {
				this.connection.flush(this);
			}
			if (!succeeded()) {
				return false;
			}
			this.session.writer().countWrites(1);
		}
		this.session.writer().stopTimer();
		settle(null);
		return true;
	}

	private void next() {
		switch (this.session.writer().finish()) {
			case CONTINUE -> this.session.threads().writers().execute(this);
			case CLOSE -> this.session.closeTransport(this.session.writer().closing());
			case IDLE -> {
			}
		}
	}

	@Override
	public void completed(@Nullable Throwable failure) {
		this.failure = failure;
		this.completed = true;
	}

	/**
	 * Check the transport call that just returned; on failure settle the batch and close
	 * the session.
	 */
	private boolean succeeded() {
		Throwable failure = this.completed ? this.failure
				: new IllegalStateException("Batching connection returned before completing a send");
		this.completed = false;
		this.failure = null;
		if (failure == null) {
			return true;
		}
		boolean timedOut = this.session.writer().failedByTimeout();
		this.session.writer().stopTimer();
		settle(failure);
		this.session.writeFailed(failure, timedOut);
		return false;
	}

	/**
	 * Complete the messages of the batch: written if the failure is {@code null}, failed
	 * otherwise.
	 */
	private void settle(@Nullable Throwable failure) {
		List<Outbound> batch = this.batch;
		if (batch == null || batch.isEmpty()) {
			return;
		}
		if (failure != null) {
			this.session.metrics().dropped("write-failed", batch.size());
		}
		else {
			this.session.metrics().sendLatency(System.nanoTime() - batch.get(0).createdNanos);
		}
		for (int i = 0; i < batch.size(); i++) {
			Outbound message = batch.get(i);
			if (failure != null) {
				message.fail(failure);
			}
			else {
				message.succeed();
				this.session.handlers().sent(this.session, message);
				this.session.writer().countSent(message);
			}
		}
		batch.clear();
	}

	private List<Outbound> batch() {
		List<Outbound> batch = this.batch;
		if (batch == null) {
			batch = new ArrayList<>(4);
			this.batch = batch;
		}
		return batch;
	}

}
