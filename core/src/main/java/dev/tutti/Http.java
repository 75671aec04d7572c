package dev.tutti;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a handshake URI and its query string.
 */
final class Http {

	/** The characters besides letters and digits that a URI may hold as they are. */
	private static final String ALLOWED = "-._~:/?#[]@!$&'()*+,;=%";

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private Http() {
	}

	/**
	 * Parse a request URI, percent-encoding the characters a {@link URI} does not allow
	 * (some clients send them, and some containers let them through) if it fails as it
	 * is.
	 * @throws IllegalArgumentException if it still cannot be parsed
	 */
	static URI uri(String uri) {
		try {
			return new URI(uri);
		}
		catch (URISyntaxException ex) {
			return URI.create(encodeIllegal(uri));
		}
	}

	/**
	 * Return the decoded query parameters of a request URI: its raw query is what follows
	 * the first {@code ?} up to a {@code #}.
	 */
	static Map<String, List<String>> queryParameters(String uri) {
		int start = uri.indexOf('?');
		if (start < 0) {
			return Map.of();
		}
		int end = uri.indexOf('#', start);
		String query = uri.substring(start + 1, (end < 0) ? uri.length() : end);
		if (query.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		for (String pair : query.split("&", -1)) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = decode((eq < 0) ? pair : pair.substring(0, eq));
			String value = (eq < 0) ? "" : decode(pair.substring(eq + 1));
			parameters.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		}
		parameters.replaceAll((name, values) -> List.copyOf(values));
		return Collections.unmodifiableMap(parameters);
	}

	private static String encodeIllegal(String uri) {
		StringBuilder encoded = new StringBuilder(uri.length() + 16);
		for (byte b : uri.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			boolean allowed = c > 0x20 && c < 0x7F && (Character.isLetterOrDigit(c) || ALLOWED.indexOf(c) >= 0);
			if (allowed) {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
			}
		}
		return encoded.toString();
	}

	private static String decode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

}
