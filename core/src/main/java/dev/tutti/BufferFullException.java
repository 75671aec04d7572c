package dev.tutti;

/**
 * Reported to the hub's error handler when a session's outbound buffer is full and its
 * {@link OverflowPolicy} drops a message or closes the session. Also fails the
 * {@link java.util.concurrent.CompletionStage} of a dropped tracked write.
 */
public class BufferFullException extends TuttiException {

	private static final long serialVersionUID = 1L;

	private final OverflowPolicy policy;

	BufferFullException(String sessionId, int capacity, OverflowPolicy policy) {
		super("Outbound buffer of session '%s' is full (%d messages); policy %s".formatted(sessionId, capacity, policy),
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
