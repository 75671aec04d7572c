package dev.tutti.transport;

import org.jspecify.annotations.Nullable;

/**
 * Completion of an asynchronous send on a {@link Connection}.
 */
@FunctionalInterface
public interface SendCallback {

	/**
	 * Called exactly once when a send has finished.
	 * @param failure {@code null} if the frame was written, otherwise why it was not
	 */
	void completed(@Nullable Throwable failure);

}
