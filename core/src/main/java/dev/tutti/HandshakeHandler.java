package dev.tutti;

/**
 * Decides whether a WebSocket handshake may proceed and seeds the attributes of the
 * session it will create (melody's {@code HandleRequestWithKeys}). Runs on the request
 * thread, before the upgrade.
 */
@FunctionalInterface
public interface HandshakeHandler {

	/**
	 * Inspect the request and accept or reject it. Attributes put into
	 * {@link HandshakeRequest#attributes()} become the session's attributes. An exception
	 * rejects the handshake with status 500.
	 * @param request the handshake request
	 * @return {@link HandshakeResult#accept()} or a rejection with an HTTP status
	 * @throws Exception on failure
	 */
	HandshakeResult handle(HandshakeRequest request) throws Exception;

}
