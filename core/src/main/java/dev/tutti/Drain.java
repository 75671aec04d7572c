package dev.tutti;

/**
 * How a session's queued messages reach its connection: one strategy per kind of
 * transport. The {@link SessionWriter} guarantees that at most one drain of a session
 * runs at a time.
 */
interface Drain {

	/**
	 * Start writing what the session's writer holds.
	 */
	void start();

	/**
	 * Whether an idle writer hands a new message straight to {@link #send(Outbound)}
	 * instead of queueing it.
	 */
	boolean sendsDirectly();

	/**
	 * Write a message that was never queued, then go on with the queue.
	 */
	void send(Outbound message);

}
