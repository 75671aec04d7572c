package dev.tutti;

import org.jspecify.annotations.Nullable;

/**
 * Receives the errors of a session: exceptions thrown by handlers, transport errors,
 * dropped messages ({@link BufferFullException}) and oversize messages
 * ({@link MessageTooBigException}), and the failures of a cluster {@link Backplane}
 * ({@link BackplaneException}), which belong to no session.
 */
@FunctionalInterface
public interface ErrorHandler {

	/**
	 * Handle the error. An exception thrown here is logged and otherwise ignored.
	 * @param session the session the error belongs to, or {@code null} for an error of
	 * the hub's backplane
	 * @param error the error
	 */
	void handle(@Nullable Session session, Throwable error);

}
