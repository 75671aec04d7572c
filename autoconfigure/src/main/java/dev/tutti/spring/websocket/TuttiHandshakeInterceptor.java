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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		String origin = request.getHeaders().getOrigin();
		if (origin != null && !WebUtils.isSameOrigin(request) && this.origins.checkOrigin(origin) == null) {
			refuse(request, response, this.hub.refuseOrigin(origin).result());
			return false;
		}
		HandshakeRequest handshake = new HandshakeRequest(uri(request), headers(request), request.getPrincipal(),
				request.getRemoteAddress());
		Upgrade upgrade = this.hub.handshake(handshake);
		HandshakeResult result = upgrade.result();
		if (!result.accepted()) {
			refuse(request, response, result);
			return false;
		}
		// For the WebSocket handler, and for afterHandshake, which does not get the map
		attributes.put(UPGRADE_ATTRIBUTE, upgrade);
		request.getAttributes().put(UPGRADE_ATTRIBUTE, upgrade);
		return true;
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
	 * Return a map over the request headers for the hub to copy with {@code forEach}: for
	 * a servlet request, straight from the servlet API, since Spring's view of its
	 * headers copies them into a map of its own on every {@code forEach}.
	 */
	private static Map<String, List<String>> headers(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servlet) {
			return new ServletRequestHeaders(servlet.getServletRequest());
		}
		HttpHeaders headers = request.getHeaders();
		return new AbstractMap<>() {

			@Override
			public Set<Entry<String, List<String>>> entrySet() {
				return headers.headerSet();
			}

			@Override
			public void forEach(BiConsumer<? super String, ? super List<String>> action) {
				headers.forEach(action);
			}

		};
	}

	/**
	 * Return the request URI as a string for the hub to parse if asked: from a servlet
	 * request without building a {@link java.net.URI}, as Spring's
	 * {@link ServerHttpRequest#getURI()} would.
	 */
	private static String uri(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servlet) {
			HttpServletRequest servletRequest = servlet.getServletRequest();
			StringBuffer url = servletRequest.getRequestURL();
			String query = servletRequest.getQueryString();
			return (query != null) ? url.append('?').append(query).toString() : url.toString();
		}
		return request.getURI().toString();
	}

	private @Nullable Upgrade upgrade(ServerHttpRequest request) {
		Object upgrade = request.getAttributes().get(UPGRADE_ATTRIBUTE);
		return (upgrade instanceof Upgrade accepted) ? accepted : null;
	}

	private void refuse(ServerHttpRequest request, ServerHttpResponse response, HandshakeResult result)
			throws IOException {
		if (logger.isDebugEnabled()) {
			logger.debug("Refused WebSocket handshake for " + request.getURI() + " with " + result.status()
					+ (result.reason().isEmpty() ? "" : ": " + result.reason()));
		}
		response.setStatusCode(HttpStatusCode.valueOf(result.status()));
		if (!result.reason().isEmpty()) {
			response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
			response.getBody().write(result.reason().getBytes(StandardCharsets.UTF_8));
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
