package dev.tutti;

import java.util.Objects;

/**
 * A WebSocket close code with its reason, as sent or received in a close frame. Constants
 * cover the standard codes and the statuses the hub closes sessions with on its own.
 * <p>
 * Immutable and thread-safe. Two statuses are equal when code and reason are.
 *
 * @param code the close code (RFC 6455, section 7.4)
 * @param reason the reason, possibly empty, never {@code null}
 */
public record CloseStatus(int code, String reason) {

	/** 1000: the purpose of the connection has been fulfilled. */
	public static final CloseStatus NORMAL = new CloseStatus(1000, "");

	/** 1001: the endpoint is going away, such as a server shutting down. */
	public static final CloseStatus GOING_AWAY = new CloseStatus(1001, "");

	/** 1006: the connection ended without a close frame. Never sent on the wire. */
	public static final CloseStatus NO_CLOSE_FRAME = new CloseStatus(1006, "");

	/** 1008: the peer violated a policy, such as filling its outbound buffer. */
	public static final CloseStatus POLICY_VIOLATION = new CloseStatus(1008, "");

	/** 1009: a message was larger than the hub accepts. */
	public static final CloseStatus TOO_BIG = new CloseStatus(1009, "");

	/** 1011: the server met an unexpected condition. */
	public static final CloseStatus SERVER_ERROR = new CloseStatus(1011, "");

	/** The hub closed the session because no pong (or other frame) arrived in time. */
	public static final CloseStatus PONG_TIMEOUT = new CloseStatus(1001, "Pong timeout");

	/** The hub closed the session because a write did not complete in time. */
	public static final CloseStatus WRITE_TIMEOUT = new CloseStatus(1001, "Write timeout");

	/**
	 * The hub closed the session because a fragmented message did not complete within the
	 * message assembly timeout.
	 */
	public static final CloseStatus ASSEMBLY_TIMEOUT = new CloseStatus(1008, "Message assembly timeout");

	/** The hub closed the session because its outbound buffer was full. */
	public static final CloseStatus BUFFER_FULL = new CloseStatus(1008, "Outbound buffer full");

	/** The hub closed the session because it sent messages faster than its rate limit. */
	public static final CloseStatus RATE_LIMITED = new CloseStatus(1008, "Inbound rate limit exceeded");

	/**
	 * Create a close status.
	 * @param code the close code
	 * @param reason the reason, possibly empty
	 * @throws IllegalArgumentException if the code is outside 1000-4999
	 */
	public CloseStatus {
		Objects.requireNonNull(reason, "reason");
		if (code < 1000 || code > 4999) {
			throw new IllegalArgumentException("Close code must be between 1000 and 4999, was " + code);
		}
	}

	/**
	 * Return a status with the same code and another reason.
	 * @param reason the reason
	 * @return a new status
	 */
	public CloseStatus withReason(String reason) {
		return new CloseStatus(this.code, reason);
	}

	/**
	 * Whether this status is a normal end of a connection (1000 or 1001) rather than an
	 * error.
	 * @return {@code true} for codes 1000 and 1001
	 */
	public boolean isNormal() {
		return this.code == 1000 || this.code == 1001;
	}

	@Override
	public String toString() {
		return this.reason.isEmpty() ? String.valueOf(this.code) : this.code + " (" + this.reason + ")";
	}

}
