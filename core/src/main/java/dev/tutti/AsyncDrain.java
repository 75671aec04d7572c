package dev.tutti;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;

/**
 * The drain of an asynchronous connection: one send in flight, whose completion sends the
 * next message, each message settled (its stage completed, the sent handlers run) when
 * its own send completes.
 * <p>
 * The drain starts on the thread that offered the message. A send that completes on the
 * calling thread hands the loop back instead of recursing, so a long queue never deepens
 * the stack; after {@value #BUDGET} sends on one thread the rest continues on a writer
 * thread, so no producer is kept writing other producers' messages. Pings go through a
 * worker thread, since a container may only offer a blocking ping.
 */
final class AsyncDrain implements Drain, SendCallback {

	/** One message in this many has its send latency recorded. */
	static final int LATENCY_SAMPLE = 64;

	/** Sends one call of {@link #drain} makes before it hands over to a writer thread. */
	static final int BUDGET = 64;

	private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

	private static final VarHandle HANDOFF;

	static {
		try {
			HANDOFF = MethodHandles.lookup().findVarHandle(AsyncDrain.class, "handoff", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final DefaultSession session;

	private final SessionWriter writer;

	private final Connection connection;

	/** Whether the connection takes text as UTF-8, read once. */
	private final boolean encodedText;

	private final Handlers handlers;

	private final Executor worker;

	private final Executor writers;

	/*
	 * The message in flight: written by the drainer before it calls the transport, read
	 * by the completion, which the transport runs after that call.
	 */
	private @Nullable Outbound inFlight;

	/** How many more messages until the next latency sample; drainer-owned. */
	private int untilSample;

	/** Which of send and completion finished second, and so continues the drain. */
	@SuppressWarnings("unused")
	private int handoff;

	AsyncDrain(DefaultSession session, Connection connection, Handlers handlers, HubThreads threads) {
		this.session = session;
		this.writer = session.writer();
		this.connection = connection;
		this.encodedText = connection.sendsEncodedText();
		this.handlers = handlers;
		this.worker = threads.worker();
		this.writers = threads.writers();
	}

	@Override
	public void start() {
		drain(null);
	}

	@Override
	public boolean sendsDirectly() {
		return true;
	}

	@Override
	public void send(Outbound message) {
		drain(message);
	}

	/**
	 * Send until nothing is left or a send completes later, in which case its completion
	 * carries on.
	 * @param first a message to send before looking at the queue
	 */
	private void drain(@Nullable Outbound first) {
		Outbound next = first;
		int budget = BUDGET;
		while (true) {
			boolean ping = false;
			if (next == null) {
				if (budget-- == 0) {
					this.writers.execute(() -> drain(null));
					return;
				}
				ping = this.writer.takePing();
				if (!ping) {
					next = this.writer.poll();
				}
				if (!ping && next == null) {
					SessionWriter.Next then = this.writer.finish();
					if (then == SessionWriter.Next.CONTINUE) {
						continue;
					}
					if (then == SessionWriter.Next.CLOSE) {
						this.session.closeTransport(this.writer.closing());
					}
					return;
				}
			}
			this.inFlight = next;
			this.writer.startTimer((next != null) ? next.timeoutNanos : 0);
			HANDOFF.setRelease(this, 0);
			if (next != null) {
				sendMessage(next);
			}
			else {
				sendPing();
			}
			if ((int) HANDOFF.getAndAdd(this, 1) == 0) {
				return;
			}
			next = null;
		}
	}

	private void sendMessage(Outbound message) {
		try {
			if (message.isBinary()) {
				this.connection.sendBinary(message.newBuffer(), this);
			}
			else if (this.encodedText) {
				this.connection.sendText(message.text(), message.newUtf8Buffer(), this);
			}
			else {
				this.connection.sendText(message.text(), this);
			}
		}
		catch (Throwable ex) {
			completed(ex);
		}
	}

	private void sendPing() {
		this.worker.execute(() -> {
			try {
				this.connection.sendPing(NO_PAYLOAD.duplicate(), this);
			}
			catch (Throwable ex) {
				completed(ex);
			}
		});
	}

	@Override
	public void completed(@Nullable Throwable failure) {
		Outbound done = this.inFlight;
		this.inFlight = null;
		boolean timedOut = failure != null && this.writer.failedByTimeout();
		this.writer.stopTimer();
		if (failure != null) {
			if (done != null) {
				done.fail(failure);
				this.session.metrics().dropped("write-failed", 1);
			}
			this.session.writeFailed(failure, timedOut);
		}
		else if (done != null) {
			done.succeed();
			this.handlers.sent(this.session, done);
			countSent(done);
		}
		if ((int) HANDOFF.getAndAdd(this, 1) == 1) {
			drain(null);
		}
	}

	/**
	 * Count a written message, and sample the send latency of one in
	 * {@value #LATENCY_SAMPLE}.
	 */
	private void countSent(Outbound message) {
		this.writer.countSent(message);
		this.writer.countWrites(1);
		if (this.untilSample-- == 0) {
			this.untilSample = LATENCY_SAMPLE - 1;
			this.session.metrics().sendLatency(System.nanoTime() - message.createdNanos);
		}
	}

}
