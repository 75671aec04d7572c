package dev.tutti;

import org.jspecify.annotations.Nullable;

/**
 * Reported to the hub's error handlers when a session's connection fails or ends without
 * a close frame (1006), such as a dropped TCP connection or a reset by the peer. The
 * network error, if the transport reported one, is the cause.
 */
public class ConnectionLostException extends TuttiException {

	private static final long serialVersionUID = 1L;

	ConnectionLostException(String sessionId, @Nullable Throwable cause) {
		super((cause != null) ? "Session '%s' lost its connection: %s".formatted(sessionId, cause)
				: "Session '%s' lost its connection without a close frame".formatted(sessionId),
				CloseStatus.NO_CLOSE_FRAME);
		if (cause != null) {
			initCause(cause);
		}
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
