package dev.tutti.spring.websocket;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.tutti.HandshakeRequest;
import dev.tutti.HandshakeResult;
import dev.tutti.Hub;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * A {@link HandshakeInterceptor} that runs the hub's handshake handler: refuses the
 * upgrade with the handler's HTTP status, or copies the attributes it seeded into the new
 * session. A closed hub refuses with 503. Thread-safe.
 */
public class TuttiHandshakeInterceptor implements HandshakeInterceptor {

	private final Hub hub;

	/**
	 * Create an interceptor for the given hub.
	 * @param hub the hub whose handshake handler runs
	 */
	public TuttiHandshakeInterceptor(Hub hub) {
		this.hub = Objects.requireNonNull(hub, "hub");
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		request.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
		HandshakeRequest handshake = new HandshakeRequest(request.getURI(), Collections.unmodifiableMap(headers),
				request.getPrincipal(), request.getRemoteAddress());
		HandshakeResult result = this.hub.handshake(handshake);
		if (!result.accepted()) {
			response.setStatusCode(HttpStatusCode.valueOf(result.status()));
			return false;
		}
		attributes.putAll(handshake.attributes());
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
