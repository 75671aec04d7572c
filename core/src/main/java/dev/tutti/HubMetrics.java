package dev.tutti;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where the hub's parts report what they do, for meters: forwards to the bound
 * {@link Recorder}, or, until one is bound, nowhere at the cost of a field read. The
 * parts report per broadcast, per drain and per session event, never per recipient where
 * a sum per broadcast or per drain will do.
 * <p>
 * Thread-safe.
 */
final class HubMetrics {

	private volatile Recorder recorder = Recorder.NONE;

	/** What the writers of ended sessions wrote; live writers keep their own counts. */
	private final LongAdder[] retired = { new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
			new LongAdder() };

	void bind(Recorder recorder) {
		this.recorder = recorder;
	}

	Recorder recorder() {
		return this.recorder;
	}

	/**
	 * Add to what the writers of ended sessions wrote.
	 * @param total one of the {@link SessionWriter} totals
	 * ({@code SessionWriter.TEXTS}...)
	 */
	void retire(int total, long amount) {
		this.retired[total].add(amount);
	}

	/**
	 * Return one of the totals of everything the hub's writers wrote: the ended sessions'
	 * and the live ones'. Costs a pass over the sessions, so read it when metrics are
	 * scraped, not per message.
	 */
	long total(int total, SessionRegistry registry) {
		long sum = this.retired[total].sum();
		for (DefaultSession session : registry.sessions()) {
			sum += session.writer().total(total);
		}
		return sum;
	}

	/**
	 * Receives the hub's events. Every method defaults to doing nothing.
	 */
	interface Recorder {

		/** The recorder that records nothing. */
		Recorder NONE = new Recorder() {
		};

		/**
		 * A handshake ended with an outcome: accepted, rejected, origin-refused,
		 * at-capacity or hub-closed.
		 */
		default void handshake(String outcome) {
		}

		default void sessionOpened() {
		}

		/**
		 * A session that had opened ended, for a reason from {@link CloseReason}.
		 */
		default void sessionClosed(String reason) {
		}

		default void received(boolean binary, long bytes) {
		}

		/**
		 * Messages were dropped: buffer-full, session-closed or write-failed.
		 */
		default void dropped(String reason, int messages) {
		}

		/**
		 * An inbound message was not handled, for a reason: rate-limited.
		 */
		default void rejected(String reason) {
		}

		default void broadcast(int recipients, long nanos) {
		}

		/**
		 * The time from queueing to writing of one message in a drain (sampled: the
		 * oldest of each batch).
		 */
		default void sendLatency(long nanos) {
		}

		default void heartbeatRtt(long nanos) {
		}

		/**
		 * A handler of a kind (connect, message, ...) threw.
		 */
		default void handlerError(String handler) {
		}

	}

}
