package dev.tutti;

/**
 * What a session's writer does when a message arrives and its outbound buffer is full.
 * Every policy reports the overflow to the hub's error handler with a
 * {@link BufferFullException} and counts it in the {@link BroadcastResult}.
 */
public enum OverflowPolicy {

	/** Discard the new message; the queued ones stay. */
	DROP_NEWEST,

	/** Discard the oldest queued message to make room for the new one. */
	DROP_OLDEST,

	/** Close the session with {@link CloseStatus#BUFFER_FULL} (1008). */
	CLOSE

}
