package dev.tutti.spring.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
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

	private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(EngineHandshake::sha1);

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
	 * @return whether the handshake may go on
	 * @throws IOException if the answer cannot be written
	 */
	static boolean checkHandshake(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
			response.setHeader("Sec-WebSocket-Version", "13");
			refuse(response, 426, "Unsupported WebSocket version: only 13 is supported");
			return false;
		}
		if (!hasUpgradeToken(request.getHeaders("Connection"))) {
			refuse(response, HttpServletResponse.SC_BAD_REQUEST, "The Connection header does not include upgrade");
			return false;
		}
		if (!isValidKey(request.getHeader("Sec-WebSocket-Key"))) {
			refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Missing or invalid Sec-WebSocket-Key");
			return false;
		}
		return true;
	}

	/**
	 * Upgrade a checked request to Tutti's protocol engine, for the session that the
	 * handshake registered.
	 * @param request the request, checked by {@link #checkHandshake}
	 * @param response its response
	 * @param upgrade the hub's upgrade of the session
	 * @param writeTimeout the hub's write timeout
	 * @throws IOException if the container fails the upgrade
	 * @throws ServletException if the container fails the upgrade
	 */
	static void upgrade(HttpServletRequest request, HttpServletResponse response, Upgrade upgrade,
			Duration writeTimeout) throws IOException, ServletException {
		String key = request.getHeader("Sec-WebSocket-Key");
		response.setHeader("Upgrade", "websocket");
		response.setHeader("Connection", "upgrade");
		response.setHeader("Sec-WebSocket-Accept", accept((key != null) ? key : ""));
		TuttiUpgradeHandler handler = request.upgrade(TuttiUpgradeHandler.class);
		handler.prepare(upgrade, writeTimeout, request.getLocalAddr(), request.getLocalPort());
	}

	/**
	 * Return the {@code Sec-WebSocket-Accept} value for a key.
	 */
	static String accept(String key) {
		MessageDigest sha1 = SHA1.get();
		sha1.update(key.getBytes(StandardCharsets.US_ASCII));
		return Base64.getEncoder().encodeToString(sha1.digest(GUID));
	}

	private static boolean hasUpgradeToken(Enumeration<String> headers) {
		while (headers.hasMoreElements()) {
			for (String token : headers.nextElement().split(",")) {
				if ("upgrade".equalsIgnoreCase(token.trim())) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isValidKey(@Nullable String key) {
		if (key == null || key.length() != 24) {
			return false;
		}
		try {
			return Base64.getDecoder().decode(key).length == 16;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
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

}
