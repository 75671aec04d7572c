package dev.tutti;

/**
 * Receives the errors of a session: exceptions thrown by handlers, transport errors,
 * dropped messages ({@link BufferFullException}) and oversize messages
 * ({@link MessageTooBigException}).
 */
@FunctionalInterface
public interface ErrorHandler {

	/**
	 * Handle the error. An exception thrown here is logged and otherwise ignored.
	 * @param session the session the error belongs to
	 * @param error the error
	 */
	void handle(Session session, Throwable error);

}
