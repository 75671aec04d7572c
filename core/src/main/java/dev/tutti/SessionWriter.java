package dev.tutti;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;

/**
 * The outbound side of one session: a bounded queue drained by at most one asynchronous
 * send at a time.
 * <p>
 * Offering takes a short lock that is never held across I/O and never waits. The thread
 * that finds the writer idle starts draining; afterwards each send's completion callback
 * sends the next message. A send that completes on the calling thread hands the loop back
 * instead of recursing, so a long queue never deepens the stack.
 * <p>
 * On a {@link Connection#isBatching() batching} transport the drain runs on one of the
 * hub's writer threads instead: it sends every queued message into the transport's buffer
 * and flushes once, so the messages that arrive while a drain is queued or flushing go
 * out together in the next write. Under load this turns many small writes into few large
 * ones. Those sends may block, for at most the write timeout, on a writer thread only. A
 * message counts as written (its stage completes, the sent handler runs) when the flush
 * that carried it succeeds.
 */
final class SessionWriter implements SendCallback, Runnable {

	private static final VarHandle HANDOFF;

	private static final VarHandle DEADLINE;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			HANDOFF = lookup.findVarHandle(SessionWriter.class, "handoff", int.class);
			DEADLINE = lookup.findVarHandle(SessionWriter.class, "deadline", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** What the drainer does next. */
	private enum Op {

		/** Send the next queued message. */
		SEND,

		/** Send a ping, which also writes out what a batching transport buffered. */
		PING,

		/** Write out what a batching transport buffered. */
		FLUSH

	}

	/** What became of an offered message. */
	enum Offer {

		/** Queued. */
		QUEUED,

		/** Queued after evicting the oldest queued message. */
		QUEUED_EVICTED,

		/** Dropped by the overflow policy. */
		DROPPED,

		/** Refused: the session is closed. */
		CLOSED;

		boolean queued() {
			return this == QUEUED || this == QUEUED_EVICTED;
		}

		int dropped() {
			return (this == QUEUED_EVICTED || this == DROPPED) ? 1 : 0;
		}

	}

	private final DefaultSession session;

	private final Connection connection;

	private final int capacity;

	private final OverflowPolicy policy;

	private final long writeTimeoutNanos;

	private @Nullable ArrayDeque<Outbound> queue;

	private boolean draining;

	private boolean pingPending;

	private @Nullable CloseStatus closeAfterFlush;

	private boolean released;

	private final boolean batching;

	private final Heartbeat clock;

	private boolean unflushed;

	/*
	 * The operation in flight: written by the drainer before it calls the transport, read
	 * by the completion callback, which the transport runs after that call.
	 */
	private @Nullable Outbound inFlight;

	private Op inFlightOp = Op.SEND;

	/** Messages a batching transport buffered since the last flush; drainer-owned. */
	private @Nullable List<Outbound> buffered;

	/** Which of send and completion finished second, and so continues the drain. */
	@SuppressWarnings("unused")
	private int handoff;

	/** When the write in flight times out on the heartbeat's clock, or 0 if none is. */
	@SuppressWarnings("unused")
	private long deadline;

	SessionWriter(DefaultSession session, Connection connection, HubConfig config, Heartbeat clock) {
		this.session = session;
		this.connection = connection;
		this.capacity = config.outboundBufferSize();
		this.policy = config.overflowPolicy();
		this.writeTimeoutNanos = config.writeTimeout().toNanos();
		this.batching = connection.isBatching();
		this.clock = clock;
	}

	Offer offer(Outbound message) {
		Outbound evicted = null;
		boolean direct = false;
		boolean start = false;
		Offer offer;
		synchronized (this) {
			if (this.released || this.closeAfterFlush != null) {
				return Offer.CLOSED;
			}
			if (!this.draining && !this.batching) {
				// An idle writer's queue is empty: the message is sent now, never queued.
				this.draining = true;
				direct = true;
				offer = Offer.QUEUED;
			}
			else {
				ArrayDeque<Outbound> queue = this.queue;
				if (queue == null) {
					queue = new ArrayDeque<>();
					this.queue = queue;
				}
				if (queue.size() < this.capacity) {
					queue.add(message);
					offer = Offer.QUEUED;
				}
				else if (this.policy == OverflowPolicy.DROP_OLDEST) {
					evicted = queue.poll();
					queue.add(message);
					offer = Offer.QUEUED_EVICTED;
				}
				else {
					offer = Offer.DROPPED;
				}
				if (offer.queued() && !this.draining) {
					this.draining = true;
					start = true;
				}
			}
		}
		if (offer != Offer.QUEUED) {
			overflowed((evicted != null) ? evicted : message);
		}
		if (direct) {
			drain(message);
		}
		else if (start) {
			startDrain();
		}
		return offer;
	}

	void requestPing() {
		synchronized (this) {
			if (this.released || this.closeAfterFlush != null) {
				return;
			}
			this.pingPending = true;
			if (this.draining) {
				return;
			}
			this.draining = true;
		}
		startDrain();
	}

	/**
	 * Refuse further messages and send a close frame once the queued messages are
	 * written.
	 */
	void closeAfterFlush(CloseStatus status) {
		synchronized (this) {
			if (this.released || this.closeAfterFlush != null) {
				return;
			}
			this.closeAfterFlush = status;
			if (this.draining) {
				return;
			}
			this.draining = true;
		}
		startDrain();
	}

	/**
	 * Refuse further messages and fail the queued ones.
	 * @return {@code false} if the writer was already released
	 */
	boolean release(Throwable reason) {
		List<Outbound> pending;
		synchronized (this) {
			if (this.released) {
				return false;
			}
			this.released = true;
			pending = (this.queue != null) ? List.copyOf(this.queue) : List.of();
			this.queue = null;
		}
		pending.forEach((message) -> message.fail(reason));
		return true;
	}

	/**
	 * Whether the writer is done: released, or closed after its flush.
	 */
	synchronized boolean isReleased() {
		return this.released;
	}

	/**
	 * Whether the write in flight has passed its deadline.
	 * @param now a {@link System#nanoTime()}
	 */
	boolean writeTimedOut(long now) {
		long deadline = (long) DEADLINE.getOpaque(this);
		return deadline != 0 && now - deadline > 0;
	}

	/**
	 * Drain on the calling thread, which only starts asynchronous sends, or on one of the
	 * hub's writer threads for a batching transport, whose sends and flushes block.
	 */
	private void startDrain() {
		if (this.batching) {
			this.session.runOnWriter(this);
		}
		else {
			drain(null);
		}
	}

	@Override
	public void run() {
		drain(null);
	}

	private void overflowed(Outbound dropped) {
		BufferFullException ex = new BufferFullException(this.session.id(), this.capacity, this.policy);
		dropped.fail(ex);
		this.session.overflowed(ex);
	}

	/**
	 * Send until the queue is empty or a send completes later, in which case its
	 * completion carries on.
	 * @param first a message to send before looking at the queue
	 */
	private void drain(@Nullable Outbound first) {
		Outbound next = first;
		while (true) {
			Op op = Op.SEND;
			if (next == null) {
				CloseStatus close = null;
				synchronized (this) {
					if (this.released) {
						this.draining = false;
						break;
					}
					if (this.pingPending) {
						this.pingPending = false;
						this.unflushed = false;
						op = Op.PING;
					}
					else if (this.queue != null && !this.queue.isEmpty()) {
						next = this.queue.poll();
						this.unflushed = this.batching;
					}
					else if (this.unflushed) {
						this.unflushed = false;
						op = Op.FLUSH;
					}
					else if (this.closeAfterFlush != null) {
						close = this.closeAfterFlush;
						this.released = true;
						this.queue = null;
						this.draining = false;
					}
					else {
						this.draining = false;
						return;
					}
				}
				if (close != null) {
					this.session.closeTransport(close);
					return;
				}
			}
			this.inFlight = next;
			this.inFlightOp = op;
			// The clock lags by up to a tick: a tick more keeps the deadline from coming
			// early.
			long timeout = (next != null && next.timeoutNanos > 0) ? next.timeoutNanos : this.writeTimeoutNanos;
			long deadline = this.clock.now() + this.clock.tickNanos() + timeout;
			DEADLINE.setOpaque(this, (deadline != 0) ? deadline : 1);
			HANDOFF.setRelease(this, 0);
			send(op, next);
			if ((int) HANDOFF.getAndAdd(this, 1) == 0) {
				return;
			}
			next = null;
		}
		settleBuffered(new SessionClosedException(this.session.id()));
	}

	private void send(Op op, @Nullable Outbound message) {
		try {
			switch (op) {
				case PING -> {
					if (this.batching) {
						this.connection.sendPing(ByteBuffer.allocate(0), this);
					}
					else {
						this.session.runOnWorker(() -> this.connection.sendPing(ByteBuffer.allocate(0), this));
					}
				}
				case FLUSH -> this.connection.flush(this);
				case SEND -> {
					if (message != null && message.isBinary()) {
						this.connection.sendBinary(message.newBuffer(), this);
					}
					else if (message != null) {
						this.connection.sendText(message.text(), this);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			completed(ex);
		}
	}

	@Override
	public void completed(@Nullable Throwable failure) {
		Outbound done = this.inFlight;
		Op op = this.inFlightOp;
		this.inFlight = null;
		// A failure within a tick of the deadline counts as the write timing out.
		boolean timedOut = failure != null && writeTimedOut(System.nanoTime() + this.clock.tickNanos());
		DEADLINE.setOpaque(this, 0L);
		if (failure != null) {
			if (done != null) {
				done.fail(failure);
			}
			settleBuffered(failure);
			this.session.writeFailed(failure, timedOut);
		}
		else if (done != null && this.batching) {
			buffered().add(done);
		}
		else if (done != null) {
			done.succeed();
			this.session.sent(done);
		}
		else if (op != Op.SEND) {
			settleBuffered(null);
		}
		if ((int) HANDOFF.getAndAdd(this, 1) == 1) {
			drain(null);
		}
	}

	/**
	 * Complete the messages a batching transport has buffered since the last flush:
	 * written when the flush (or a ping, which flushes too) succeeded, failed otherwise.
	 */
	private void settleBuffered(@Nullable Throwable failure) {
		List<Outbound> buffered = this.buffered;
		if (buffered == null || buffered.isEmpty()) {
			return;
		}
		for (Outbound message : buffered) {
			if (failure != null) {
				message.fail(failure);
			}
			else {
				message.succeed();
				this.session.sent(message);
			}
		}
		buffered.clear();
	}

	private List<Outbound> buffered() {
		List<Outbound> buffered = this.buffered;
		if (buffered == null) {
			buffered = new ArrayList<>();
			this.buffered = buffered;
		}
		return buffered;
	}

}
