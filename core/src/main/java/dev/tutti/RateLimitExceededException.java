package dev.tutti;

/**
 * Reported to the hub's error handler when a session sends messages faster than its
 * inbound rate limit allows (see {@link HubConfig#inboundMessagesPerSecond()}): the
 * message was dropped, or the session closed with {@link CloseStatus#RATE_LIMITED}, as
 * its {@link RateLimitPolicy} says.
 */
public class RateLimitExceededException extends TuttiException {

	private static final long serialVersionUID = 1L;

	private final RateLimitPolicy policy;

	RateLimitExceededException(String sessionId, double messagesPerSecond, int burst, RateLimitPolicy policy) {
		super("Session '%s' exceeded its inbound rate limit (%s messages per second, burst %d); policy %s"
			.formatted(sessionId, messagesPerSecond, burst, policy), CloseStatus.RATE_LIMITED);
		this.policy = policy;
	}

	/**
	 * Return the policy that was applied.
	 * @return the policy
	 */
	public RateLimitPolicy getPolicy() {
		return this.policy;
	}

	/**
	 * Return this exception without a stack trace: a client can cause one per message it
	 * sends, and where it was raised says nothing.
	 * @return this exception
	 */
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

	/**
	 * Return {@code true}: a client causes this failure.
	 * @return {@code true}
	 */
	@Override
	public boolean isCausedByClient() {
		return true;
	}

}
