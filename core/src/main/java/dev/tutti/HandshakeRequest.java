package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket handshake request as a {@link HandshakeHandler} sees it. Created by the
 * transport, which hands the headers over once: this request keeps one compact copy,
 * which the session reads them from, and builds a map of them only when asked. Likewise
 * it keeps the request URI as the transport's string and parses it into a {@link URI}
 * only when asked; the query parameters are parsed from the string. The attribute map is
 * created when first asked for.
 * <p>
 * Thread-safe.
 */
public final class HandshakeRequest {

	/** The request URI as the transport gave it, with its query string. */
	private final String uriString;

	/** The parsed URI, made on the first call of {@link #uri()}. */
	private volatile @Nullable URI uri;

	/** Names and values, alternating: the one compact copy of the headers. */
	private final String[] headerPairs;

	/** The map view, made on the first call of {@link #headers()}. */
	private volatile @Nullable Map<String, List<String>> headers;

	private final @Nullable Principal principal;

	/**
	 * The client's host name or address, resolved on the first call of
	 * {@link #remoteAddress()}.
	 */
	private final @Nullable String remoteHost;

	private final int remotePort;

	private volatile @Nullable InetSocketAddress remoteAddress;

	/** The attribute map, made on the first call of {@link #attributes()}. */
	private volatile @Nullable Map<String, Object> attributes;

	/**
	 * Create a request.
	 * @param uri the request URI with its query string
	 * @param headers the request headers
	 * @param principal the authenticated user, or {@code null}
	 * @param remoteAddress the client address, or {@code null} if unknown
	 */
	public HandshakeRequest(URI uri, Map<String, List<String>> headers, @Nullable Principal principal,
			@Nullable InetSocketAddress remoteAddress) {
		this(uri.toString(), headers, principal, remoteAddress);
		this.uri = uri;
	}

	/**
	 * Create a request whose URI is parsed only if a handler or the application asks for
	 * it.
	 * @param uri the request URI with its query string, as the client sent it (for
	 * example {@code ws://example.com/ws?room=lobby}); characters that a {@link URI} does
	 * not allow are percent-encoded when it is parsed
	 * @param headers the request headers
	 * @param principal the authenticated user, or {@code null}
	 * @param remoteAddress the client address, or {@code null} if unknown
	 */
	public HandshakeRequest(String uri, Map<String, List<String>> headers, @Nullable Principal principal,
			@Nullable InetSocketAddress remoteAddress) {
		this.uriString = uri;
		this.headerPairs = pairs(headers);
		this.principal = principal;
		this.remoteHost = null;
		this.remotePort = 0;
		this.remoteAddress = remoteAddress;
	}

	/**
	 * Create a request whose URI is parsed, and whose client address is made, only if a
	 * handler or the application asks for them.
	 * @param uri the request URI with its query string, as the client sent it (for
	 * example {@code ws://example.com/ws?room=lobby}); characters that a {@link URI} does
	 * not allow are percent-encoded when it is parsed
	 * @param headers the request headers
	 * @param principal the authenticated user, or {@code null}
	 * @param remoteHost the client's host name or IP address literal, as the servlet
	 * container reports it, or {@code null} if unknown
	 * @param remotePort the client's port, from 0 to 65535
	 * @throws IllegalArgumentException if the port is out of range
	 */
	public HandshakeRequest(String uri, Map<String, List<String>> headers, @Nullable Principal principal,
			@Nullable String remoteHost, int remotePort) {
		if (remotePort < 0 || remotePort > 0xFFFF) {
			throw new IllegalArgumentException("Remote port out of range: " + remotePort);
		}
		this.uriString = uri;
		this.headerPairs = pairs(headers);
		this.principal = principal;
		this.remoteHost = remoteHost;
		this.remotePort = remotePort;
	}

	/**
	 * Return the request URI, including its query string.
	 * @return the URI
	 * @throws IllegalArgumentException if the transport's URI string cannot be parsed
	 * even after percent-encoding the characters a URI does not allow
	 */
	public URI uri() {
		URI uri = this.uri;
		if (uri == null) {
			uri = Http.uri(this.uriString);
			this.uri = uri;
		}
		return uri;
	}

	/**
	 * Return the request headers.
	 * @return an unmodifiable map of header names to values whose look-ups ignore the
	 * case of names, as HTTP does
	 */
	public Map<String, List<String>> headers() {
		Map<String, List<String>> headers = this.headers;
		if (headers == null) {
			Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (int i = 0; i < this.headerPairs.length; i += 2) {
				map.computeIfAbsent(this.headerPairs[i], (name) -> new ArrayList<>(1)).add(this.headerPairs[i + 1]);
			}
			map.replaceAll((name, values) -> List.copyOf(values));
			headers = Collections.unmodifiableMap(map);
			this.headers = headers;
		}
		return headers;
	}

	/**
	 * Return the first value of a header, matching its name case-insensitively.
	 * @param name the header name
	 * @return the value, or {@code null} if the header is absent
	 */
	public @Nullable String header(String name) {
		for (int i = 0; i < this.headerPairs.length; i += 2) {
			if (this.headerPairs[i].equalsIgnoreCase(name)) {
				return this.headerPairs[i + 1];
			}
		}
		return null;
	}

	/**
	 * Return the query parameters of the request URI, decoded.
	 * @return an unmodifiable map of parameter names to values
	 */
	public Map<String, List<String>> queryParameters() {
		return Http.queryParameters(this.uriString);
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
	 * Return the client address. Where the transport gave a host name or address literal,
	 * the address is made from it on the first call, as
	 * {@link InetSocketAddress#InetSocketAddress(String, int)} makes it.
	 * @return the address, or {@code null} if unknown
	 */
	public @Nullable InetSocketAddress remoteAddress() {
		InetSocketAddress address = this.remoteAddress;
		String host = this.remoteHost;
		if (address == null && host != null) {
			address = new InetSocketAddress(host, this.remotePort);
			this.remoteAddress = address;
		}
		return address;
	}

	/**
	 * Return the attributes that the session will start with. Put values here to seed
	 * them; once the handshake is accepted, this map is the session's attribute map.
	 * @return the mutable, thread-safe attribute map
	 */
	public Map<String, Object> attributes() {
		Map<String, Object> attributes = this.attributes;
		if (attributes == null) {
			synchronized (this) {
				attributes = this.attributes;
				if (attributes == null) {
					attributes = new ConcurrentHashMap<>();
					this.attributes = attributes;
				}
			}
		}
		return attributes;
	}

	/**
	 * Return the attribute map if it was made, for reads that need none.
	 * @return the attribute map, or {@code null} if nobody asked for it yet
	 */
	@Nullable Map<String, Object> attributesIfPresent() {
		return this.attributes;
	}

	private static String[] pairs(Map<String, List<String>> headers) {
		// forEach once, and size only where the view supports it: a transport may pass a
		// view that supports little else
		Pairs pairs = new Pairs(capacity(headers));
		headers.forEach(pairs);
		return pairs.toArray();
	}

	/**
	 * Return the array capacity for the headers: twice their count where the view can
	 * count them, which a header with one value each fills exactly, else room for 16.
	 */
	private static int capacity(Map<String, List<String>> headers) {
		try {
			return Math.max(2 * headers.size(), 2);
		}
		catch (UnsupportedOperationException ex) {
			return 32;
		}
	}

	/**
	 * Collects header names and values, alternating, into an array that grows only when a
	 * header has more than one value. Keeps no list it is given.
	 */
	private static final class Pairs implements BiConsumer<String, List<String>> {

		private String[] pairs;

		private int size;

		Pairs(int capacity) {
			this.pairs = new String[capacity];
		}

		@Override
		public void accept(String name, List<String> values) {
			int needed = this.size + 2 * values.size();
			if (needed > this.pairs.length) {
				this.pairs = Arrays.copyOf(this.pairs, Math.max(needed, 2 * this.pairs.length));
			}
			for (int i = 0; i < values.size(); i++) {
				this.pairs[this.size++] = name;
				this.pairs[this.size++] = values.get(i);
			}
		}

		String[] toArray() {
			return (this.size == this.pairs.length) ? this.pairs : Arrays.copyOf(this.pairs, this.size);
		}

	}

}
