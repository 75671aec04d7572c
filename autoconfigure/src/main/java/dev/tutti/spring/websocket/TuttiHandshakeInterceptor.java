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
	 * Spring's request wrapper is made only to check the origin of a request with an
	 * {@code Origin} header.
	 * @param request the handshake request
	 * @param response the response, which carries the refusal if the handshake is refused
	 * @return the accepted upgrade, or {@code null} if the handshake was refused
	 * @throws IOException if the refusal could not be written
	 */
	@Nullable Upgrade handshake(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && !WebUtils.isSameOrigin(new ServletServerHttpRequest(request))
				&& this.origins.checkOrigin(origin) == null) {
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
		return new HandshakeRequest(uri, new ServletRequestHeaders(request), request.getUserPrincipal(),
				request.getRemoteHost(), request.getRemotePort());
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
	 * out at once.
	 */
	private static final class ServletRequestHeaders extends AbstractMap<String, List<String>> {

		private final HttpServletRequest request;

		ServletRequestHeaders(HttpServletRequest request) {
			this.request = request;
		}

		@Override
		public void forEach(BiConsumer<? super String, ? super List<String>> action) {
			Enumeration<String> names = this.request.getHeaderNames();
			OneValue one = new OneValue();
			while (names.hasMoreElements()) {
				String name = names.nextElement();
				Enumeration<String> values = this.request.getHeaders(name);
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
		}

		@Override
		public int size() {
			Enumeration<String> names = this.request.getHeaderNames();
			int size = 0;
			while (names.hasMoreElements()) {
				names.nextElement();
				size++;
			}
			return size;
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
