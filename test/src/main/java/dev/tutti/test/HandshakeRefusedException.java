package dev.tutti.test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Thrown when a server does not accept a WebSocket opening handshake: it answered with an
 * HTTP status other than 101 (Switching Protocols), or with a 101 response the client
 * could not accept. Carries the status and headers of the response, so a test can assert
 * that a cross-origin request was refused with 403 or an unauthenticated one with 401.
 * <p>
 * Immutable and thread-safe.
 */
public class HandshakeRefusedException extends RuntimeException {

	private final URI uri;

	private final int status;

	private final Map<String, List<String>> headers;

	/**
	 * Create an exception.
	 * @param uri the URI the client tried to connect to
	 * @param status the HTTP status of the response
	 * @param headers the headers of the response
	 * @param cause the failure reported by the WebSocket client
	 */
	HandshakeRefusedException(URI uri, int status, Map<String, List<String>> headers, Throwable cause) {
		super("Server refused the WebSocket handshake with " + uri + ": HTTP status " + status, cause);
		this.uri = uri;
		this.status = status;
		this.headers = lowercaseNames(headers);
	}

	/**
	 * Return the URI the client tried to connect to, with the query parameters it added.
	 * @return the URI
	 */
	public URI uri() {
		return this.uri;
	}

	/**
	 * Return the HTTP status the server answered the handshake with.
	 * @return the status, such as 403
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Return the headers of the server's response.
	 * @return an unmodifiable map from lowercase header name to values
	 */
	public Map<String, List<String>> headers() {
		return this.headers;
	}

	private static Map<String, List<String>> lowercaseNames(Map<String, List<String>> headers) {
		Map<String, List<String>> lowercase = new LinkedHashMap<>();
		headers.forEach(
				(name, values) -> lowercase.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>())
					.addAll(values));
		lowercase.replaceAll((name, values) -> List.copyOf(values));
		return Collections.unmodifiableMap(lowercase);
	}

}
