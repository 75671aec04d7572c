package dev.tutti.spring.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Enumeration;

import dev.tutti.transport.Upgrade;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The handshake side of Tutti's own protocol engine (RFC 6455, section 4.2): checks a
 * client's opening handshake and upgrades the request to a {@link TuttiUpgradeHandler}.
 * Refers to no Tomcat type itself, so that {@link TuttiWebSocketServlet} can ask
 * {@link #isAvailable} on any container.
 */
final class EngineHandshake {

	private static final Log logger = LogFactory.getLog(EngineHandshake.class);

	private static final String UPGRADE_HANDLER = "org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler";

	private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		.getBytes(StandardCharsets.US_ASCII);

	/** Which ASCII characters are in the base64 alphabet. */
	private static final boolean[] IN_BASE64 = new boolean[128];

	static {
		for (byte c : BASE64) {
			IN_BASE64[c] = true;
		}
	}

	/** The length of a key: 16 bytes in base64, with two padding characters. */
	private static final int KEY_LENGTH = 24;

	/** The length of an accept value: the 20 bytes of a SHA-1 hash in base64. */
	private static final int ACCEPT_LENGTH = 28;

	private static final ThreadLocal<Accept> ACCEPT = ThreadLocal.withInitial(Accept::new);

	private EngineHandshake() {
	}

	/**
	 * Return whether the engine can serve connections in this servlet context: on Tomcat,
	 * with its upgrade API visible. Logs once per path why not, otherwise.
	 * @param context the servlet context
	 * @param path the path to be served, for the log
	 * @return whether {@link #upgrade} may be used
	 */
	static boolean isAvailable(ServletContext context, String path) {
		String server = context.getServerInfo();
		boolean tomcat = server != null && server.startsWith("Apache Tomcat");
		if (tomcat && ClassUtils.isPresent(UPGRADE_HANDLER, EngineHandshake.class.getClassLoader())) {
			return true;
		}
		logger.info("Tutti's protocol engine needs Tomcat (" + UPGRADE_HANDLER + "), which serves no connection on "
				+ server + ": '" + path + "' is served by the container's Jakarta WebSocket implementation");
		return false;
	}

	/**
	 * Check the WebSocket headers of an upgrade request, and answer it if they are not
	 * valid: 426 with the supported version for another version than 13, 400 for a
	 * missing or invalid key or a {@code Connection} header without {@code upgrade}.
	 * @param request a GET request with {@code Upgrade: websocket}
	 * @param response its response
	 * @return the request's {@code Sec-WebSocket-Key}, for {@link #upgrade}, or
	 * {@code null} if the handshake was refused
	 * @throws IOException if the answer cannot be written
	 */
	static @Nullable String checkHandshake(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
			response.setHeader("Sec-WebSocket-Version", "13");
			refuse(response, 426, "Unsupported WebSocket version: only 13 is supported");
			return null;
		}
		if (!hasUpgradeToken(request.getHeaders("Connection"))) {
			refuse(response, HttpServletResponse.SC_BAD_REQUEST, "The Connection header does not include upgrade");
			return null;
		}
		String key = request.getHeader("Sec-WebSocket-Key");
		if (key == null || !isValidKey(key)) {
			refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Missing or invalid Sec-WebSocket-Key");
			return null;
		}
		return key;
	}

	/**
	 * Upgrade a checked request to Tutti's protocol engine, for the session that the
	 * handshake registered.
	 * @param request the request, checked by {@link #checkHandshake}
	 * @param response its response
	 * @param key the key {@link #checkHandshake} returned
	 * @param upgrade the hub's upgrade of the session
	 * @param writeTimeout the hub's write timeout
	 * @throws IOException if the container fails the upgrade
	 * @throws ServletException if the container fails the upgrade
	 */
	static void upgrade(HttpServletRequest request, HttpServletResponse response, String key, Upgrade upgrade,
			Duration writeTimeout) throws IOException, ServletException {
		response.setHeader("Upgrade", "websocket");
		response.setHeader("Connection", "upgrade");
		response.setHeader("Sec-WebSocket-Accept", accept(key));
		TuttiUpgradeHandler handler = request.upgrade(TuttiUpgradeHandler.class);
		handler.prepare(upgrade, writeTimeout, request.getLocalAddr(), request.getLocalPort());
	}

	/**
	 * Return the {@code Sec-WebSocket-Accept} value for a key: the base64 of the SHA-1
	 * hash of the key and the GUID, computed in buffers of the calling thread, so that
	 * only the returned string is allocated.
	 */
	static String accept(String key) {
		return ACCEPT.get().of(key);
	}

	/**
	 * Whether a {@code Connection} header holds the {@code upgrade} token, in a list of
	 * tokens separated by commas and optional whitespace.
	 */
	private static boolean hasUpgradeToken(Enumeration<String> headers) {
		while (headers.hasMoreElements()) {
			String value = headers.nextElement();
			int start = 0;
			while (start <= value.length()) {
				int comma = value.indexOf(',', start);
				int end = (comma < 0) ? value.length() : comma;
				int from = start;
				int to = end;
				while (from < to && value.charAt(from) <= ' ') {
					from++;
				}
				while (to > from && value.charAt(to - 1) <= ' ') {
					to--;
				}
				if (to - from == 7 && value.regionMatches(true, from, "upgrade", 0, 7)) {
					return true;
				}
				start = end + 1;
			}
		}
		return false;
	}

	/**
	 * Whether a key is 16 bytes in base64: 22 characters of the base64 alphabet and two
	 * padding characters, as the JDK's base64 decoder accepts them.
	 */
	private static boolean isValidKey(String key) {
		if (key.length() != KEY_LENGTH || key.charAt(22) != '=' || key.charAt(23) != '=') {
			return false;
		}
		for (int i = 0; i < KEY_LENGTH - 2; i++) {
			char c = key.charAt(i);
			if (c >= 128 || !IN_BASE64[c]) {
				return false;
			}
		}
		return true;
	}

	private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType("text/plain;charset=UTF-8");
		response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JVM has no SHA-1, which WebSocket handshakes need", ex);
		}
	}

	/**
	 * Computes accept values in buffers of its own. Not thread-safe: one per thread.
	 */
	private static final class Accept {

		private final MessageDigest sha1 = sha1();

		/** The key's bytes, then the GUID: hashed in one update. */
		private final byte[] input = new byte[KEY_LENGTH + GUID.length];

		private final byte[] hash = new byte[20];

		private final byte[] text = new byte[ACCEPT_LENGTH];

		Accept() {
			System.arraycopy(GUID, 0, this.input, KEY_LENGTH, GUID.length);
		}

		/**
		 * Return the accept value of a key that {@link #isValidKey} accepted.
		 * @throws IllegalArgumentException if the key has not a key's length
		 */
		String of(String key) {
			if (key.length() != KEY_LENGTH) {
				throw new IllegalArgumentException("Not a WebSocket key: '" + key + "'");
			}
			byte[] input = this.input;
			for (int i = 0; i < KEY_LENGTH; i++) {
				input[i] = (byte) key.charAt(i);
			}
			this.sha1.update(input, 0, input.length);
			try {
				this.sha1.digest(this.hash, 0, this.hash.length);
			}
			catch (DigestException ex) {
				throw new IllegalStateException("SHA-1 failed", ex);
			}
			byte[] hash = this.hash;
			byte[] text = this.text;
			int t = 0;
			for (int h = 0; h < 18; h += 3) {
				int bits = ((hash[h] & 0xFF) << 16) | ((hash[h + 1] & 0xFF) << 8) | (hash[h + 2] & 0xFF);
				text[t++] = BASE64[bits >>> 18];
				text[t++] = BASE64[(bits >>> 12) & 0x3F];
				text[t++] = BASE64[(bits >>> 6) & 0x3F];
				text[t++] = BASE64[bits & 0x3F];
			}
			int bits = ((hash[18] & 0xFF) << 8) | (hash[19] & 0xFF);
			text[t++] = BASE64[bits >>> 10];
			text[t++] = BASE64[(bits >>> 4) & 0x3F];
			text[t++] = BASE64[(bits << 2) & 0x3F];
			text[t] = '=';
			return new String(text, 0, ACCEPT_LENGTH, StandardCharsets.ISO_8859_1);
		}

	}

}
