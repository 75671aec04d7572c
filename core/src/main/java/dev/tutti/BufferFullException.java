package dev.tutti;

/**
 * Reported to the hub's error handler when a session's outbound buffer is full (in
 * messages or in bytes, see {@link HubConfig#outboundBufferBytes()}) and its
 * {@link OverflowPolicy} drops a message or closes the session. Also fails the
 * {@link java.util.concurrent.CompletionStage} of a dropped tracked write.
 */
public class BufferFullException extends TuttiException {

	private static final long serialVersionUID = 1L;

	private final OverflowPolicy policy;

	/**
	 * Create an exception.
	 * @param capacity the bound that was reached, such as {@code 256 messages} or
	 * {@code 4194304 bytes}
	 */
	BufferFullException(String sessionId, String capacity, OverflowPolicy policy) {
		super("Outbound buffer of session '%s' is full (%s); policy %s".formatted(sessionId, capacity, policy),
				CloseStatus.BUFFER_FULL);
		this.policy = policy;
	}

	/**
	 * Return the overflow policy that was applied.
	 * @return the policy
	 */
	public OverflowPolicy getPolicy() {
		return this.policy;
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
