package dev.tutti.spring.websocket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.Hub;
import dev.tutti.test.TuttiTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's own handshake interceptor, beside Tutti's, runs in Spring's
 * interceptor chain before it: it can refuse a handshake before the hub sees it, and
 * hears of every handshake that went on. Without one, the servlet calls Tutti's
 * interceptor alone.
 */
class InterceptorChainIntegrationTests extends AbstractIntegrationTests {

	@Autowired
	@Qualifier("tuttiHandlerMapping")
	HandlerMapping handlerMapping;

	@Autowired
	@Qualifier("shoutHub")
	Hub shoutHub;

	@Test
	void anInterceptorBesidesTuttisRunsBeforeItAndMayRefuse() throws IOException {
		WebSocketHttpRequestHandler handler = (WebSocketHttpRequestHandler) ((SimpleUrlHandlerMapping) this.handlerMapping)
			.getUrlMap()
			.get("/shout");
		// A copy: the handler's own list is emptied and refilled when it is set
		List<HandshakeInterceptor> original = List.copyOf(handler.getHandshakeInterceptors());
		Gate gate = new Gate();
		List<HandshakeInterceptor> chain = new ArrayList<>(original);
		chain.add(0, gate);
		handler.setHandshakeInterceptors(chain);
		try {
			List<String> refused = exchange("GET /shout?deny HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n");
			assertThat(refused.get(0)).startsWith("HTTP/1.1 403");
			assertThat(this.shoutHub.size()).isZero();
			TuttiTestClient shouter = connect("/shout");
			shouter.sendText("hello");
			assertThat(shouter.awaitText()).isEqualTo("HELLO");
			assertThat(gate.before.get()).isEqualTo(2);
			assertThat(gate.after.get()).isOne();
			shouter.close(1000, "");
			await().until(() -> this.shoutHub.size() == 0);
		}
		finally {
			handler.setHandshakeInterceptors(original);
		}
	}

	/**
	 * Refuses a handshake with a {@code deny} query with 403, and counts its calls.
	 */
	static final class Gate implements HandshakeInterceptor {

		final AtomicInteger before = new AtomicInteger();

		final AtomicInteger after = new AtomicInteger();

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
				WebSocketHandler wsHandler, Map<String, Object> attributes) {
			this.before.incrementAndGet();
			if ("deny".equals(request.getURI().getQuery())) {
				response.setStatusCode(HttpStatus.FORBIDDEN);
				return false;
			}
			return true;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
				@Nullable Exception exception) {
			this.after.incrementAndGet();
		}

	}

}
