package dev.tutti.spring.websocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.HandshakeResult;
import dev.tutti.Session;
import dev.tutti.test.HandshakeRefusedException;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The opening handshake: the same-origin check by default and the hub's handshake
 * handler, which may refuse with a status or seed session attributes.
 */
class HandshakeIntegrationTests extends AbstractIntegrationTests {

	@Test
	void refusesACrossOriginHandshakeByDefault() {
		assertThat(refusal("/ws", Map.of("Origin", "http://evil.example"))).isEqualTo(403);
		assertThat(this.events.connects()).isEmpty();
	}

	@Test
	void checksTheOriginBeforeTheHandshakeHandler() {
		AtomicInteger handshakes = new AtomicInteger();
		this.events.onHandshake((request) -> {
			handshakes.incrementAndGet();
			return HandshakeResult.reject(401, "No token");
		});
		assertThat(refusal("/ws", Map.of("Origin", "http://evil.example"))).isEqualTo(403);
		assertThat(handshakes).hasValue(0);
		assertThat(refusal("/ws", Map.of())).isEqualTo(401);
		assertThat(handshakes).hasValue(1);
	}

	@Test
	void acceptsASameOriginHandshake() throws Exception {
		TuttiTestClient client = awaitConnected(connectAsync("/ws", Map.of("Origin", "http://localhost:" + this.port)));
		client.sendText("same origin");
		assertThat(client.awaitText()).isEqualTo("same origin");
	}

	@Test
	void acceptsAHandshakeWithoutOrigin() {
		TuttiTestClient client = connect();
		client.sendText("no origin");
		assertThat(client.awaitText()).isEqualTo("no origin");
	}

	@Test
	void handshakeHandlerRefusesWithItsStatus() {
		this.events.onHandshake((request) -> (request.queryParameters().containsKey("token")) ? HandshakeResult.accept()
				: HandshakeResult.reject(401, "No token"));
		assertThat(refusal("/ws", Map.of())).isEqualTo(401);
		assertThat(this.events.connects()).isEmpty();
		TuttiTestClient client = connect("/ws?token=secret");
		assertThat(this.events.session(client)).isNotNull();
	}

	@Test
	void failingHandshakeHandlerRefusesWith500() {
		this.events.onHandshake((request) -> {
			throw new IllegalStateException("broken");
		});
		assertThat(refusal("/ws", Map.of())).isEqualTo(500);
	}

	@Test
	void handshakeHandlerSeedsSessionAttributes() throws Exception {
		CompletableFuture<Object> seenOnConnect = new CompletableFuture<>();
		this.events.onHandshake((request) -> {
			request.attributes().put("user", request.queryParameters().get("user").get(0));
			request.attributes().put("agent", String.valueOf(request.header("user-agent")));
			return HandshakeResult.accept();
		});
		this.events.onConnect((session) -> seenOnConnect.complete(session.get("user")));
		TuttiTestClient client = connect("/ws?user=ada%20lovelace");
		assertThat(seenOnConnect.get(10, TimeUnit.SECONDS)).isEqualTo("ada lovelace");
		Session session = this.events.session(client);
		assertThat(session.get("user", String.class)).isEqualTo("ada lovelace");
		assertThat(session.get("agent", String.class)).startsWith("Java-http-client");
		assertThat(session.keys()).contains("user", "agent");
	}

	@Test
	void sessionExposesTheHandshakeRequest() throws Exception {
		RawWebSocketClient client = connectRaw("/ws?client=raw&x=1&x=2&name=a%20b", Map.of("X-Test", "yes"), 0);
		assertThat(client.status()).isEqualTo(101);
		Session session = this.events.session("raw");
		assertThat(this.hub.sessions()).containsExactly(session);
		assertThat(session.remoteAddress()).isNotNull();
		assertThat(session.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
		assertThat(session.remoteAddress().getPort()).isEqualTo(client.localPort());
		assertThat(session.localAddress()).isNotNull();
		assertThat(session.localAddress().getPort()).isEqualTo(this.port);
		assertThat(session.uri().getPath()).isEqualTo("/ws");
		assertThat(session.uri().getRawQuery()).isEqualTo("client=raw&x=1&x=2&name=a%20b");
		assertThat(session.queryParameters()).containsExactly(Map.entry("client", List.of("raw")),
				Map.entry("x", List.of("1", "2")), Map.entry("name", List.of("a b")));
		assertThat(session.headers().get("X-Test")).containsExactly("yes");
		assertThat(session.headers().get("x-test")).containsExactly("yes");
		assertThat(session.principal()).isNull();
	}

	private int refusal(String path, Map<String, String> headers) {
		CompletableFuture<TuttiTestClient> attempt = connectAsync(path, headers);
		Throwable cause = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
			.actual()
			.getCause();
		assertThat(cause).isInstanceOf(HandshakeRefusedException.class);
		return ((HandshakeRefusedException) cause).status();
	}

	private TuttiTestClient awaitConnected(CompletableFuture<TuttiTestClient> attempt) throws Exception {
		return attempt.get(10, TimeUnit.SECONDS);
	}

}
