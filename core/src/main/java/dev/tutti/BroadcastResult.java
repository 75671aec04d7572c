package dev.tutti;

/**
 * What a broadcast did: how many open sessions it offered the message to and how many
 * messages were dropped because a session's outbound buffer was full. Sessions that were
 * already closed when the broadcast reached them are not counted.
 *
 * @param recipients the number of open sessions the message was offered to
 * @param dropped the number of messages dropped by an overflow policy: the new one for
 * {@link OverflowPolicy#DROP_NEWEST} and {@link OverflowPolicy#CLOSE}, an older queued
 * one for {@link OverflowPolicy#DROP_OLDEST} (counted once per recipient even when making
 * room in bytes evicted several; {@code tutti.messages.dropped} counts each)
 */
public record BroadcastResult(int recipients, int dropped) {

	/**
	 * Whether every recipient kept the message and nothing was dropped.
	 * @return {@code true} if no message was dropped
	 */
	public boolean isComplete() {
		return this.dropped == 0;
	}

}
