package dev.tutti;

/**
 * The answer of a {@link HandshakeHandler}: accept the upgrade, or refuse it with an HTTP
 * status.
 * <p>
 * Immutable and thread-safe.
 *
 * @param accepted whether the handshake may proceed
 * @param status the HTTP status to refuse with; 101 when accepted
 * @param reason a short reason for a refusal, possibly empty
 */
public record HandshakeResult(boolean accepted, int status, String reason) {

	private static final HandshakeResult ACCEPT = new HandshakeResult(true, 101, "");

	/**
	 * Accept the handshake.
	 * @return the accepting result
	 */
	public static HandshakeResult accept() {
		return ACCEPT;
	}

	/**
	 * Refuse the handshake.
	 * @param status an HTTP status between 400 and 599, such as 401 or 403
	 * @param reason a short reason, possibly empty
	 * @return the refusing result
	 * @throws IllegalArgumentException if the status is not a client or server error
	 */
	public static HandshakeResult reject(int status, String reason) {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("Handshake rejection status must be 4xx or 5xx, was " + status);
		}
		return new HandshakeResult(false, status, reason);
	}

}
