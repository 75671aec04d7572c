package dev.tutti;

/**
 * Sorts the statuses sessions end with into a small fixed set of reasons, for the
 * {@code reason} tag of {@code tutti.sessions.closed}.
 */
final class CloseReason {

	private CloseReason() {
	}

	/**
	 * Return the reason a session ended with a status.
	 * @param status the status it ended with
	 * @param hubClosing whether its hub was closing at the time
	 * @return one of normal, going-away, pong-timeout, write-timeout, overflow,
	 * rate-limited, message-too-big, protocol-error, connection-lost, server-shutdown,
	 * other
	 */
	static String of(CloseStatus status, boolean hubClosing) {
		// The statuses of the hub's own reasons have codes 1001 and 1008 and a reason
		if (!status.reason().isEmpty() && (status.code() == 1001 || status.code() == 1008)) {
			if (status.equals(CloseStatus.PONG_TIMEOUT)) {
				return "pong-timeout";
			}
			if (status.equals(CloseStatus.WRITE_TIMEOUT)) {
				return "write-timeout";
			}
			if (status.equals(CloseStatus.BUFFER_FULL)) {
				return "overflow";
			}
			if (status.equals(CloseStatus.RATE_LIMITED)) {
				return "rate-limited";
			}
		}
		return switch (status.code()) {
			case 1000 -> "normal";
			case 1001 -> hubClosing ? "server-shutdown" : "going-away";
			case 1002, 1003, 1007 -> "protocol-error";
			case 1006 -> "connection-lost";
			case 1009 -> "message-too-big";
			default -> "other";
		};
	}

}
