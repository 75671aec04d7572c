package dev.tutti.spring.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.tutti.HandshakeRequest;
import dev.tutti.HandshakeResult;
import dev.tutti.Hub;
import dev.tutti.transport.Upgrade;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * A {@link HandshakeInterceptor} that checks the request's origin and runs the hub's
 * handshake handlers before the upgrade. A request from an origin that is not allowed is
 * refused with 403 before any handshake handler runs, and counted by the hub (see
 * {@link Hub#refuseOrigin(String)}); by default only the same origin is allowed, and a
 * request without an {@code Origin} header (not from a browser) is allowed, as Spring's
 * {@code OriginHandshakeInterceptor} does. A refused handshake gets the handler's HTTP
 * status with its reason as a plain text body; a closed hub, or one that holds its
 * maximum of sessions, refuses with 503. An accepted handshake registers its session with
 * the hub at once, before the upgrade response is sent, and hands the {@link Upgrade} to
 * the {@link TuttiWebSocketHandler} of the same hub through the handshake attributes; if
 * the upgrade then fails, the session is abandoned. Thread-safe.
 */
public class TuttiHandshakeInterceptor implements HandshakeInterceptor {

	/** Handshake attribute that carries the accepted {@link Upgrade}. */
	static final String UPGRADE_ATTRIBUTE = TuttiHandshakeInterceptor.class.getName() + ".upgrade";

	private static final Log logger = LogFactory.getLog(TuttiHandshakeInterceptor.class);

	private static final ThreadLocal<ServletRequestHeaders> HEADERS = ThreadLocal
		.withInitial(ServletRequestHeaders::new);

	/** What {@link #port} returns for an origin whose form is left to Spring. */
	private static final int NOT_USUAL = -2;

	private static final String PLAIN_TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8).toString();

	private final Hub hub;

	private final List<String> allowedOrigins;

	private final List<String> allowedOriginPatterns;

	private final CorsConfiguration origins = new CorsConfiguration();

	/**
	 * Create an interceptor for the given hub that allows only requests of the same
	 * origin, and requests without an {@code Origin} header.
	 * @param hub the hub whose handshake handlers run
	 */
	public TuttiHandshakeInterceptor(Hub hub) {
		this(hub, List.of(), List.of());
	}

	/**
	 * Create an interceptor for the given hub that allows requests of the same origin, of
	 * the given origins and origin patterns, and requests without an {@code Origin}
	 * header.
	 * @param hub the hub whose handshake handlers run
	 * @param allowedOrigins origins such as {@code https://example.com}, or {@code *} for
	 * every origin
	 * @param allowedOriginPatterns origin patterns such as {@code https://*.example.com}
	 */
	public TuttiHandshakeInterceptor(Hub hub, Collection<String> allowedOrigins,
			Collection<String> allowedOriginPatterns) {
		this.hub = Objects.requireNonNull(hub, "hub");
		this.allowedOrigins = List.copyOf(allowedOrigins);
		this.allowedOriginPatterns = List.copyOf(allowedOriginPatterns);
		this.origins.setAllowedOrigins(new ArrayList<>(this.allowedOrigins));
		this.origins.setAllowedOriginPatterns(new ArrayList<>(this.allowedOriginPatterns));
	}

	/**
	 * Return the origins allowed besides the same origin.
	 * @return the allowed origins, possibly empty
	 */
	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	/**
	 * Return the origin patterns allowed besides the same origin.
	 * @return the allowed origin patterns, possibly empty
	 */
	public List<String> getAllowedOriginPatterns() {
		return this.allowedOriginPatterns;
	}

	/**
	 * Check the origin and run the hub's handshake handlers, as
	 * {@link #handshake(HttpServletRequest, HttpServletResponse)} does.
	 * @throws IllegalArgumentException if the request or the response is not a servlet
	 * container's, the only kind Spring's WebSocket support serves
	 */
	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		if (!(request instanceof ServletServerHttpRequest servletRequest)
				|| !(response instanceof ServletServerHttpResponse servletResponse)) {
			throw new IllegalArgumentException(
					"Tutti's handshake interceptor serves servlet requests only, not " + request.getClass().getName());
		}
		Upgrade upgrade = handshake(servletRequest.getServletRequest(), servletResponse.getServletResponse());
		if (upgrade == null) {
			return false;
		}
		// For the WebSocket handler, and for afterHandshake, which does not get the map
		attributes.put(UPGRADE_ATTRIBUTE, upgrade);
		request.getAttributes().put(UPGRADE_ATTRIBUTE, upgrade);
		return true;
	}

	/**
	 * Check the origin and run the hub's handshake handlers, straight on the servlet
	 * request and response: a servlet that runs no other interceptor calls this without
	 * Spring's request and response wrappers, an attribute map or an interceptor chain.
	 * The origin is checked as Spring's {@code WebUtils.isSameOrigin} checks it.
	 * @param request the handshake request
	 * @param response the response, which carries the refusal if the handshake is refused
	 * @return the accepted upgrade, or {@code null} if the handshake was refused
	 * @throws IOException if the refusal could not be written
	 */
	@Nullable Upgrade handshake(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && !isSameOrigin(request, origin) && this.origins.checkOrigin(origin) == null) {
			refuse(request, response, this.hub.refuseOrigin(origin).result());
			return null;
		}
		Upgrade upgrade = this.hub.handshake(handshakeRequest(request));
		if (!upgrade.result().accepted()) {
			refuse(request, response, upgrade.result());
			return null;
		}
		return upgrade;
	}

	/**
	 * Whether an {@code Origin} header names the request's own scheme, host and port, as
	 * Spring's {@link WebUtils#isSameOrigin} decides it for a servlet request. An origin
	 * of the usual form, {@code scheme://host} with an optional port, is compared without
	 * being parsed into a URI, which is what a browser sends with every handshake; any
	 * other is left to Spring, and one that Spring cannot parse is not the request's own.
	 * @param request the request
	 * @param origin the value of its {@code Origin} header
	 * @return whether the origin is the request's own
	 */
	static boolean isSameOrigin(HttpServletRequest request, String origin) {
		int schemeEnd = origin.indexOf("://");
		int hostStart = schemeEnd + 3;
		int hostEnd = -1;
		if (schemeEnd > 0 && hostStart < origin.length()) {
			if (origin.charAt(hostStart) == '[') {
				hostEnd = origin.indexOf(']', hostStart) + 1;
			}
			else {
				int colon = origin.indexOf(':', hostStart);
				hostEnd = (colon < 0) ? origin.length() : colon;
			}
		}
		int port = (hostEnd > hostStart) ? port(origin, hostEnd) : NOT_USUAL;
		if (port == NOT_USUAL || !isScheme(origin, schemeEnd) || !isHost(origin, hostStart, hostEnd)) {
			try {
				return WebUtils.isSameOrigin(new ServletServerHttpRequest(request));
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				// Not a URL Spring can parse: not the request's own origin
				return false;
			}
		}
		String scheme = request.getScheme();
		String host = request.getServerName();
		return scheme.length() == schemeEnd && origin.regionMatches(true, 0, scheme, 0, schemeEnd)
				&& host.length() == hostEnd - hostStart && origin.startsWith(host, hostStart)
				&& defaultPort(scheme, request.getServerPort()) == defaultPort(scheme, port);
	}

	/**
	 * Return the port after an origin's host: -1 if there is none, {@link #NOT_USUAL} if
	 * what follows the host is not a colon and 1 to 5 digits.
	 */
	private static int port(String origin, int hostEnd) {
		if (hostEnd == origin.length()) {
			return -1;
		}
		int digits = origin.length() - hostEnd - 1;
		if (origin.charAt(hostEnd) != ':' || digits < 1 || digits > 5) {
			return NOT_USUAL;
		}
		int port = 0;
		for (int i = hostEnd + 1; i < origin.length(); i++) {
			char c = origin.charAt(i);
			if (c < '0' || c > '9') {
				return NOT_USUAL;
			}
			port = 10 * port + (c - '0');
		}
		return port;
	}

	private static boolean isScheme(String origin, int end) {
		for (int i = 0; i < end; i++) {
			char c = origin.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-'
					|| c == '.')) {
				return false;
			}
		}
		return end > 0;
	}

	private static boolean isHost(String origin, int start, int end) {
		for (int i = start; i < end; i++) {
			char c = origin.charAt(i);
			if (c <= ' ' || c >= 0x7F || c == '/' || c == '?' || c == '#' || c == '@' || c == '%' || c == '\\') {
				return false;
			}
		}
		return end > start;
	}

	private static int defaultPort(String scheme, int port) {
		if (port != -1) {
			return port;
		}
		return switch (scheme) {
			case "http", "ws" -> 80;
			case "https", "wss" -> 443;
			default -> -1;
		};
	}

	/**
	 * Return whether this interceptor serves the given hub.
	 */
	boolean serves(Hub hub) {
		return this.hub == hub;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
		if (exception != null || (response instanceof ServletServerHttpResponse servlet
				&& servlet.getServletResponse().getStatus() != HttpStatus.SWITCHING_PROTOCOLS.value())) {
			Upgrade upgrade = upgrade(request);
			if (upgrade != null) {
				upgrade.abandon();
			}
		}
	}

	/**
	 * Return the hub's request for a servlet request, as Spring's wrapper would give it:
	 * the headers read straight from the servlet API (Spring's view of them copies them
	 * into a map of its own on every {@code forEach}), the URI as a string (no
	 * {@link java.net.URI} is built unless the application asks), and the client's
	 * address made only if asked for.
	 */
	private static HandshakeRequest handshakeRequest(HttpServletRequest request) {
		StringBuffer url = request.getRequestURL();
		String query = request.getQueryString();
		String uri = (query != null) ? url.append('?').append(query).toString() : url.toString();
		// The hub copies the headers at once, so one view per thread serves every request
		ServletRequestHeaders headers = HEADERS.get();
		headers.request = request;
		try {
			return new HandshakeRequest(uri, headers, request.getUserPrincipal(), request.getRemoteHost(),
					request.getRemotePort());
		}
		finally {
			headers.request = null;
		}
	}

	private @Nullable Upgrade upgrade(ServerHttpRequest request) {
		Object upgrade = request.getAttributes().get(UPGRADE_ATTRIBUTE);
		return (upgrade instanceof Upgrade accepted) ? accepted : null;
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, HandshakeResult result)
			throws IOException {
		if (logger.isDebugEnabled()) {
			logger.debug("Refused WebSocket handshake for " + request.getRequestURL() + " with " + result.status()
					+ (result.reason().isEmpty() ? "" : ": " + result.reason()));
		}
		response.setStatus(result.status());
		if (!result.reason().isEmpty()) {
			response.setContentType(PLAIN_TEXT);
			response.getOutputStream().write(result.reason().getBytes(StandardCharsets.UTF_8));
		}
	}

	/**
	 * The headers of a servlet request, read once through {@code forEach}, and counted by
	 * {@code size} without reading their values; other map operations read them again.
	 * {@code forEach} hands a header with one value to the action as a list it reuses for
	 * the next such header, which suits {@link HandshakeRequest}: it copies the values
	 * out at once. One view per thread, pointed at each request in turn while its
	 * {@link HandshakeRequest} is made.
	 */
	private static final class ServletRequestHeaders extends AbstractMap<String, List<String>> {

		/** The request whose headers this view shows, while the hub copies them. */
		private @Nullable HttpServletRequest request;

		private final OneValue one = new OneValue();

		@Override
		public void forEach(BiConsumer<? super String, ? super List<String>> action) {
			HttpServletRequest request = request();
			Enumeration<String> names = request.getHeaderNames();
			OneValue one = this.one;
			while (names.hasMoreElements()) {
				String name = names.nextElement();
				Enumeration<String> values = request.getHeaders(name);
				if (!values.hasMoreElements()) {
					continue;
				}
				String first = values.nextElement();
				if (!values.hasMoreElements()) {
					one.value = first;
					action.accept(name, one);
					continue;
				}
				List<String> all = new ArrayList<>(2);
				all.add(first);
				while (values.hasMoreElements()) {
					all.add(values.nextElement());
				}
				action.accept(name, all);
			}
			one.value = "";
		}

		@Override
		public int size() {
			Enumeration<String> names = request().getHeaderNames();
			int size = 0;
			while (names.hasMoreElements()) {
				names.nextElement();
				size++;
			}
			return size;
		}

		private HttpServletRequest request() {
			HttpServletRequest request = this.request;
			if (request == null) {
				throw new IllegalStateException("The headers are read only while the handshake request is made");
			}
			return request;
		}

		@Override
		public Set<Entry<String, List<String>>> entrySet() {
			Map<String, List<String>> copy = new LinkedHashMap<>();
			forEach((name, values) -> copy.put(name, List.copyOf(values)));
			return copy.entrySet();
		}

	}

	/**
	 * A list of one value that can be set.
	 */
	private static final class OneValue extends AbstractList<String> {

		private String value = "";

		@Override
		public String get(int index) {
			Objects.checkIndex(index, 1);
			return this.value;
		}

		@Override
		public int size() {
			return 1;
		}

	}

}
