package dev.tutti;

/**
 * A token bucket that limits one session's inbound messages: {@code burst} tokens, one
 * more every {@code 1 / messagesPerSecond}, one taken per message.
 * <p>
 * Cheap per message: no allocation, no lock, and the clock is read only when the bucket
 * is full (from then on tokens accrue) or empty (to see what accrued since), never in
 * between. So in any span of time a session gets at most {@code burst} messages plus
 * those the rate earns.
 * <p>
 * Not thread-safe: the transport reports one session's messages one at a time.
 */
final class InboundRateLimiter {

	private final long nanosPerToken;

	private final int burst;

	private int tokens;

	/** The {@link System#nanoTime()} from which tokens accrue. */
	private long accruingSince;

	InboundRateLimiter(double messagesPerSecond, int burst) {
		this.nanosPerToken = Math.max(1, Math.round(1_000_000_000 / messagesPerSecond));
		this.burst = burst;
		this.tokens = burst;
	}

	/**
	 * Take a token for a message.
	 * @return {@code false} if the bucket is empty: the message is over the limit
	 */
	boolean tryAcquire() {
		int tokens = this.tokens;
		if (tokens == this.burst) {
			// A full bucket earned nothing from the time that passed: tokens accrue from
			// now
			this.accruingSince = System.nanoTime();
		}
		else if (tokens == 0) {
			long now = System.nanoTime();
			long earned = (now - this.accruingSince) / this.nanosPerToken;
			if (earned <= 0) {
				return false;
			}
			if (earned >= this.burst) {
				tokens = this.burst;
				this.accruingSince = now;
			}
			else {
				tokens = (int) earned;
				this.accruingSince += earned * this.nanosPerToken;
			}
		}
		this.tokens = tokens - 1;
		return true;
	}

}
