package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket handshake request as a {@link HandshakeHandler} sees it. Created by the
 * transport.
 * <p>
 * Not thread-safe beyond its attribute map, which is concurrent.
 */
public final class HandshakeRequest {

	private final URI uri;

	private final Map<String, List<String>> headers;

	private final @Nullable Principal principal;

	private final @Nullable InetSocketAddress remoteAddress;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	/**
	 * Create a request.
	 * @param uri the request URI with its query string
	 * @param headers the request headers
	 * @param principal the authenticated user, or {@code null}
	 * @param remoteAddress the client address, or {@code null} if unknown
	 */
	public HandshakeRequest(URI uri, Map<String, List<String>> headers, @Nullable Principal principal,
			@Nullable InetSocketAddress remoteAddress) {
		this.uri = uri;
		this.headers = Map.copyOf(headers);
		this.principal = principal;
		this.remoteAddress = remoteAddress;
	}

	/**
	 * Return the request URI, including its query string.
	 * @return the URI
	 */
	public URI uri() {
		return this.uri;
	}

	/**
	 * Return the request headers.
	 * @return an unmodifiable map of header names to values
	 */
	public Map<String, List<String>> headers() {
		return this.headers;
	}

	/**
	 * Return the first value of a header, matching its name case-insensitively.
	 * @param name the header name
	 * @return the value, or {@code null} if the header is absent
	 */
	public @Nullable String header(String name) {
		return Http.firstHeader(this.headers, name);
	}

	/**
	 * Return the query parameters of the request URI, decoded.
	 * @return an unmodifiable map of parameter names to values
	 */
	public Map<String, List<String>> queryParameters() {
		return Http.queryParameters(this.uri);
	}

	/**
	 * Return the authenticated user.
	 * @return the principal, or {@code null} if the request was not authenticated
	 */
	public @Nullable Principal principal() {
		return this.principal;
	}

	/**
	 * Return the client address.
	 * @return the address, or {@code null} if unknown
	 */
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * Return the attributes that the session will start with. Put values here to seed
	 * them.
	 * @return the mutable, thread-safe attribute map
	 */
	public Map<String, Object> attributes() {
		return this.attributes;
	}

}
