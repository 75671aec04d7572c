package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket handshake request as a {@link HandshakeHandler} sees it. Created by the
 * transport, which hands the headers over once: this request keeps the one copy every
 * session of the hub reads them from.
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
		this.headers = caseInsensitiveCopy(headers);
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
	 * @return an unmodifiable map of header names to values whose look-ups ignore the
	 * case of names, as HTTP does
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
		List<String> values = this.headers.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	/**
	 * Return the query parameters of the request URI, decoded.
	 * @return an unmodifiable map of parameter names to values
	 */
	public Map<String, List<String>> queryParameters() {
		return Http.queryParameters(this.uri);
	}

	/**
	 * Return the first value of a query parameter, decoded.
	 * @param name the parameter name
	 * @return the value ({@code ""} for a parameter without {@code =}), or {@code null}
	 * if the parameter is absent
	 */
	public @Nullable String queryParameter(String name) {
		List<String> values = queryParameters().get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
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

	private static Map<String, List<String>> caseInsensitiveCopy(Map<String, List<String>> headers) {
		Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (first, second) -> {
			List<String> merged = new ArrayList<>(first);
			merged.addAll(second);
			return List.copyOf(merged);
		}));
		return Collections.unmodifiableMap(copy);
	}

}
