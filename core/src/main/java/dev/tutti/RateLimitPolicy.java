package dev.tutti;

/**
 * What a session's inbound rate limit does with a message over the limit (see
 * {@link HubConfig#inboundMessagesPerSecond()}). Either way the error handlers hear of it
 * through a {@link RateLimitExceededException}.
 */
public enum RateLimitPolicy {

	/**
	 * Drop the message: no message handler sees it, and it is counted in
	 * {@code tutti.messages.rejected}. The session stays open.
	 */
	DROP,

	/**
	 * Close the session with {@link CloseStatus#RATE_LIMITED} (1008), once what it was
	 * sent before is written.
	 */
	CLOSE

}
