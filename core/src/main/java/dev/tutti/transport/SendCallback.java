package dev.tutti.transport;

import org.jspecify.annotations.Nullable;

/**
 * Completion of an asynchronous send on a {@link Connection}.
 */
@FunctionalInterface
public interface SendCallback {

	/**
	 * Called exactly once when a send has finished: on the thread that started it, before
	 * the send method returns, or on any other thread, as long as the send method call
	 * happens-before this one (as it does when the completion is handed over through a
	 * lock, a volatile field or an executor).
	 * @param failure {@code null} if the frame was written, otherwise why it was not
	 */
	void completed(@Nullable Throwable failure);

}
