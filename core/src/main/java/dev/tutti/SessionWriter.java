package dev.tutti;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outbound side of one session: a queue bounded in messages and in bytes of payload,
 * with its overflow policy, and the state that lets exactly one {@link Drain} at a time
 * write what the queue holds.
 * <p>
 * A message counts against the byte bound from the moment it is queued until a drain
 * takes it (or the policy evicts it), so a session holds at most the bound in its queue
 * plus the one batch its drain is writing. An empty queue takes any message, however
 * large.
 * <p>
 * Offering takes a short lock that is never held across I/O and never waits. The offer
 * that finds the writer idle starts a drain. Until the session's connection is attached
 * (see {@link #attach(Drain)}) the writer counts as draining, so messages queue up and go
 * out once the connection opens.
 * <p>
 * The writer also times the write in flight: the drain starts the timer before each call
 * to the transport and stops it after, and the heartbeat closes a session whose timer
 * expired.
 */
final class SessionWriter {

	/** Index of the total of text messages written. */
	static final int TEXTS = 0;

	/** Index of the total of text bytes written. */
	static final int TEXT_BYTES = 1;

	/** Index of the total of binary messages written. */
	static final int BINARIES = 2;

	/** Index of the total of binary bytes written. */
	static final int BINARY_BYTES = 3;

	/** Index of the total of writes to the network. */
	static final int WRITES = 4;

	private static final VarHandle DEADLINE;

	/** The totals' fields, by the indexes above. */
	private static final VarHandle TEXTS_TOTAL;

	private static final VarHandle TEXT_BYTES_TOTAL;

	private static final VarHandle BINARIES_TOTAL;

	private static final VarHandle BINARY_BYTES_TOTAL;

	private static final VarHandle WRITES_TOTAL;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			DEADLINE = lookup.findVarHandle(SessionWriter.class, "deadline", long.class);
			TEXTS_TOTAL = lookup.findVarHandle(SessionWriter.class, "texts", long.class);
			TEXT_BYTES_TOTAL = lookup.findVarHandle(SessionWriter.class, "textBytes", long.class);
			BINARIES_TOTAL = lookup.findVarHandle(SessionWriter.class, "binaries", long.class);
			BINARY_BYTES_TOTAL = lookup.findVarHandle(SessionWriter.class, "binaryBytes", long.class);
			WRITES_TOTAL = lookup.findVarHandle(SessionWriter.class, "writes", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
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

	/** What a drain does when it found nothing more to write. */
	enum Next {

		/** More arrived: go on. */
		CONTINUE,

		/** The session closes after its flush: send the close frame. */
		CLOSE,

		/** Nothing to do: the writer is idle. */
		IDLE

	}

	private final DefaultSession session;

	private final int capacity;

	private final long capacityBytes;

	private final OverflowPolicy policy;

	private final long writeTimeoutNanos;

	private final Heartbeat clock;

	private @Nullable Drain drain;

	private @Nullable ArrayDeque<Outbound> queue;

	/** Payload bytes of the queued messages; guarded. */
	private long queuedBytes;

	/** Whether a drain runs or is due; true until the connection is attached. */
	private boolean draining = true;

	private boolean pingPending;

	private @Nullable CloseStatus closing;

	private boolean released;

	/** Messages the overflow policy dropped; guarded. */
	private long dropped;

	/*
	 * What this writer wrote, one field for each index above (fields rather than an
	 * array, which would cost every connection 56 bytes more): written only by the
	 * running drain, read by meters; after retire(), counts go to the hub's totals
	 * instead.
	 */

	@SuppressWarnings("unused")
	private long texts;

	@SuppressWarnings("unused")
	private long textBytes;

	@SuppressWarnings("unused")
	private long binaries;

	@SuppressWarnings("unused")
	private long binaryBytes;

	@SuppressWarnings("unused")
	private long writes;

	private volatile boolean retired;

	/** When the write in flight times out on the heartbeat's clock, or 0 if none is. */
	@SuppressWarnings("unused")
	private long deadline;

	SessionWriter(DefaultSession session, HubConfig config, Heartbeat clock) {
		this.session = session;
		this.capacity = config.outboundBufferSize();
		this.capacityBytes = config.outboundBufferBytes();
		this.policy = config.overflowPolicy();
		this.writeTimeoutNanos = config.writeTimeout().toNanos();
		this.clock = clock;
	}

	/**
	 * Offer a message: queue it, or send it at once if the writer is idle and its drain
	 * sends directly. Applies the overflow policy to a queue that is full in messages or
	 * in bytes; {@link OverflowPolicy#DROP_OLDEST} evicts as many of the oldest messages
	 * as it takes to make room.
	 */
	Offer offer(Outbound message) {
		// Counted once per broadcast: the message caches it for the other recipients
		int length = message.byteLength();
		List<Outbound> evicted = null;
		boolean overBytes = false;
		Drain direct = null;
		Drain start = null;
		Offer offer;
		synchronized (this) {
			if (this.released || this.closing != null) {
				return Offer.CLOSED;
			}
			if (!this.draining && this.drain != null && this.drain.sendsDirectly()) {
				// An idle writer's queue is empty: the message is sent now, never queued.
				this.draining = true;
				direct = this.drain;
				offer = Offer.QUEUED;
			}
			else {
				ArrayDeque<Outbound> queue = this.queue;
				if (queue == null) {
					queue = new ArrayDeque<>();
					this.queue = queue;
				}
				overBytes = !queue.isEmpty() && this.queuedBytes + length > this.capacityBytes;
				if (queue.size() < this.capacity && !overBytes) {
					queue.add(message);
					this.queuedBytes += length;
					offer = Offer.QUEUED;
				}
				else if (this.policy == OverflowPolicy.DROP_OLDEST) {
					evicted = evict(queue, length);
					queue.add(message);
					this.queuedBytes += length;
					offer = Offer.QUEUED_EVICTED;
				}
				else {
					offer = Offer.DROPPED;
				}
				if (offer != Offer.QUEUED) {
					this.dropped++;
				}
				if (offer.queued() && !this.draining) {
					this.draining = true;
					start = this.drain;
				}
			}
		}
		if (offer != Offer.QUEUED) {
			BufferFullException ex = overBytes
					? new BufferFullException(this.session.id(), this.capacityBytes + " bytes", this.policy)
					: new BufferFullException(this.session.id(), this.capacity + " messages", this.policy);
			if (evicted != null) {
				this.session.metrics().dropped("buffer-full", evicted.size());
				evicted.forEach((old) -> old.fail(ex));
			}
			else {
				this.session.metrics().dropped("buffer-full", 1);
				message.fail(ex);
			}
			this.session.overflowed(ex);
		}
		if (direct != null) {
			direct.send(message);
		}
		else if (start != null) {
			start.start();
		}
		return offer;
	}

	/**
	 * Take the oldest messages out of a full queue until a message of the given length
	 * fits, or the queue is empty. Called with the lock held.
	 */
	private List<Outbound> evict(ArrayDeque<Outbound> queue, int length) {
		List<Outbound> evicted = new ArrayList<>(1);
		while (!queue.isEmpty() && (queue.size() >= this.capacity || this.queuedBytes + length > this.capacityBytes)) {
			Outbound oldest = queue.poll();
			this.queuedBytes -= oldest.byteLength();
			evicted.add(oldest);
		}
		return evicted;
	}

	/**
	 * Attach the drain of the session's open connection and start writing what queued up
	 * meanwhile.
	 */
	void attach(Drain drain) {
		synchronized (this) {
			this.drain = drain;
			if (this.released) {
				return;
			}
			if ((this.queue == null || this.queue.isEmpty()) && !this.pingPending && this.closing == null) {
				this.draining = false;
				return;
			}
		}
		drain.start();
	}

	void requestPing() {
		Drain start;
		synchronized (this) {
			if (this.released || this.closing != null) {
				return;
			}
			this.pingPending = true;
			if (this.draining) {
				return;
			}
			this.draining = true;
			start = this.drain;
		}
		if (start != null) {
			start.start();
		}
	}

	/**
	 * Refuse further messages and send a close frame once the queued ones are written.
	 */
	void closeAfterFlush(CloseStatus status) {
		Drain start;
		synchronized (this) {
			if (this.released || this.closing != null) {
				return;
			}
			this.closing = status;
			if (this.draining) {
				return;
			}
			this.draining = true;
			start = this.drain;
		}
		if (start != null) {
			start.start();
		}
	}

	/**
	 * Refuse further messages and fail the queued ones with a
	 * {@link SessionClosedException}, made only if there are any.
	 * @return {@code false} if the writer was already released
	 */
	boolean release() {
		List<Outbound> pending;
		synchronized (this) {
			if (this.released) {
				return false;
			}
			this.released = true;
			pending = (this.queue != null) ? List.copyOf(this.queue) : List.of();
			this.queue = null;
			this.queuedBytes = 0;
		}
		if (!pending.isEmpty()) {
			this.session.metrics().dropped("session-closed", pending.size());
			Throwable failure = new SessionClosedException(this.session.id());
			pending.forEach((message) -> message.fail(failure));
		}
		return true;
	}

	/**
	 * Whether the writer is done: released, or closed after its flush.
	 */
	synchronized boolean isReleased() {
		return this.released;
	}

	/**
	 * Return how many messages the overflow policy has dropped.
	 */
	synchronized long dropped() {
		return this.dropped;
	}

	/**
	 * Hand what this writer wrote over to the hub's totals, as its session ends.
	 */
	void retire() {
		this.retired = true;
		HubMetrics metrics = this.session.hubMetrics();
		// Each field through its own constant handle: a handle chosen at run time is
		// not inlined, each call going through the handle's type check and an indirect
		// call
		retire(metrics, TEXTS, (long) TEXTS_TOTAL.getOpaque(this));
		retire(metrics, TEXT_BYTES, (long) TEXT_BYTES_TOTAL.getOpaque(this));
		retire(metrics, BINARIES, (long) BINARIES_TOTAL.getOpaque(this));
		retire(metrics, BINARY_BYTES, (long) BINARY_BYTES_TOTAL.getOpaque(this));
		retire(metrics, WRITES, (long) WRITES_TOTAL.getOpaque(this));
	}

	private static void retire(HubMetrics metrics, int total, long amount) {
		if (amount != 0) {
			metrics.retire(total, amount);
		}
	}

	/**
	 * Return one of this writer's totals, for meters.
	 */
	long total(int total) {
		return this.retired ? 0 : (long) totalField(total).getOpaque(this);
	}

	// For the drains

	/**
	 * Count a message written: plain arithmetic on the drain's own fields.
	 */
	void countSent(Outbound message) {
		if (message.isBinary()) {
			add(BINARIES, 1);
			add(BINARY_BYTES, message.byteLength());
		}
		else {
			add(TEXTS, 1);
			add(TEXT_BYTES, message.byteLength());
		}
	}

	/**
	 * Count writes to the network.
	 */
	void countWrites(int writes) {
		add(WRITES, writes);
	}

	private void add(int total, long amount) {
		if (this.retired) {
			this.session.hubMetrics().retire(total, amount);
		}
		else {
			VarHandle field = totalField(total);
			field.setOpaque(this, (long) field.getOpaque(this) + amount);
		}
	}

	private static VarHandle totalField(int total) {
		return switch (total) {
			case TEXTS -> TEXTS_TOTAL;
			case TEXT_BYTES -> TEXT_BYTES_TOTAL;
			case BINARIES -> BINARIES_TOTAL;
			case BINARY_BYTES -> BINARY_BYTES_TOTAL;
			case WRITES -> WRITES_TOTAL;
			default -> throw new IllegalArgumentException("No total " + total);
		};
	}

	/**
	 * Return how many messages are queued.
	 */
	synchronized int queued() {
		return (this.queue != null) ? this.queue.size() : 0;
	}

	/**
	 * Return the payload bytes of the queued messages.
	 */
	synchronized long queuedBytes() {
		return this.queuedBytes;
	}

	/**
	 * Take the next queued message.
	 * @return the message, or {@code null} if the queue is empty or the writer released
	 */
	synchronized @Nullable Outbound poll() {
		if (this.released || this.queue == null) {
			return null;
		}
		Outbound message = this.queue.poll();
		if (message != null) {
			this.queuedBytes -= message.byteLength();
		}
		return message;
	}

	/**
	 * Take a pending ping request.
	 * @return whether a ping is due
	 */
	synchronized boolean takePing() {
		boolean ping = this.pingPending && !this.released;
		this.pingPending = false;
		return ping;
	}

	/**
	 * Decide what a drain that found nothing more to write does next. Returning
	 * {@link Next#IDLE} or {@link Next#CLOSE} ends the drain: the next offer starts a new
	 * one.
	 */
	synchronized Next finish() {
		if (this.released) {
			this.draining = false;
			return Next.IDLE;
		}
		if ((this.queue != null && !this.queue.isEmpty()) || this.pingPending) {
			return Next.CONTINUE;
		}
		if (this.closing != null) {
			this.released = true;
			this.queue = null;
			this.queuedBytes = 0;
			this.draining = false;
			return Next.CLOSE;
		}
		this.draining = false;
		return Next.IDLE;
	}

	/**
	 * Return the status to close with after the flush.
	 */
	synchronized CloseStatus closing() {
		return (this.closing != null) ? this.closing : CloseStatus.NORMAL;
	}

	/**
	 * Start timing a write.
	 * @param timeoutNanos the write's own timeout, or 0 for the hub's
	 */
	void startTimer(long timeoutNanos) {
		// The clock lags by up to a tick: a tick more keeps the deadline from coming
		// early.
		long timeout = (timeoutNanos > 0) ? timeoutNanos : this.writeTimeoutNanos;
		long deadline = this.clock.now() + this.clock.tickNanos() + timeout;
		DEADLINE.setOpaque(this, (deadline != 0) ? deadline : 1);
	}

	void stopTimer() {
		DEADLINE.setOpaque(this, 0L);
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
	 * Whether a write that failed just now failed because it timed out: its deadline has
	 * passed, or will within a tick.
	 */
	boolean failedByTimeout() {
		return writeTimedOut(System.nanoTime() + this.clock.tickNanos());
	}

}
