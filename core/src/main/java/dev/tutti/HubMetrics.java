package dev.tutti;

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

	void bind(Recorder recorder) {
		this.recorder = recorder;
	}

	Recorder recorder() {
		return this.recorder;
	}

	/**
	 * Receives the hub's events. Every method defaults to doing nothing.
	 */
	interface Recorder {

		/** The recorder that records nothing. */
		Recorder NONE = new Recorder() {
		};

		/**
		 * A handshake ended with an outcome: accepted, rejected or hub-closed.
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
		 * A drain settled messages of one type as written.
		 */
		default void sent(boolean binary, int messages, long bytes) {
		}

		/**
		 * Messages were dropped: buffer-full, session-closed or write-failed.
		 */
		default void dropped(String reason, int messages) {
		}

		default void broadcast(int recipients, long nanos) {
		}

		/**
		 * The transport wrote to the network once (a flush, or an unbatched send).
		 */
		default void written() {
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
