package dev.tutti.test;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.tutti.CloseStatus;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link TuttiTestClient} against a plain Jakarta WebSocket
 * endpoint on an embedded Tomcat ({@link EchoServer}) and, where a server must misbehave,
 * a {@link SilentServer}.
 */
class TuttiTestClientIntegrationTests {

	private static final Duration SHORT = Duration.ofMillis(300);

	@TempDir
	static Path tomcatDir;

	static EchoServer server;

	private final List<TuttiTestClient> clients = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startServer() throws Exception {
		server = EchoServer.start(tomcatDir);
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(TuttiTestClient::close);
	}

	TuttiTestClient connect() {
		return track(TuttiTestClient.connect(server.uri("/echo")));
	}

	TuttiTestClientBuilder builder() {
		return TuttiTestClient.builder(server.uri("/echo"));
	}

	TuttiTestClient track(TuttiTestClient client) {
		this.clients.add(client);
		return client;
	}

	@Nested
	class Connecting {

		@Test
		void connectsAndExchangesTextMessages() {
			TuttiTestClient client = connect();
			assertThat(client.isOpen()).isTrue();
			assertThat(client.uri()).isEqualTo(server.uri("/echo"));
			client.sendText("hello");
			assertThat(client.awaitText()).isEqualTo("hello");
		}

		@Test
		void connectsAsynchronously() {
			CompletableFuture<TuttiTestClient> connecting = TuttiTestClient.connectAsync(server.uri("/echo"));
			TuttiTestClient client = track(connecting.orTimeout(10, TimeUnit.SECONDS).join());
			client.sendText("async");
			assertThat(client.awaitText()).isEqualTo("async");
		}

		@Test
		void sendsHandshakeHeaders() {
			TuttiTestClient client = track(
					builder().header("X-Token", "secret").header("Origin", "http://good.example").connect());
			client.sendText("header X-Token");
			assertThat(client.awaitText()).isEqualTo("[secret]");
			client.sendText("header Origin");
			assertThat(client.awaitText()).isEqualTo("[http://good.example]");
		}

		@Test
		void addsEncodedQueryParameters() {
			TuttiTestClient client = track(TuttiTestClient.builder(server.uri("/echo?room=lobby"))
				.queryParameter("user", "ada lovelace")
				.queryParameter("note", "a&b=c+d")
				.connect());
			assertThat(client.uri().getRawQuery()).isEqualTo("room=lobby&user=ada%20lovelace&note=a%26b%3Dc%2Bd");
			client.sendText("query");
			assertThat(client.awaitText()).isEqualTo("room=lobby&user=ada%20lovelace&note=a%26b%3Dc%2Bd");
		}

		@Test
		void offersSubprotocols() {
			TuttiTestClient client = track(builder().subprotocols("v3.tutti", "v1.tutti", "v2.tutti").connect());
			assertThat(client.subprotocol()).isEqualTo("v1.tutti");
			assertThat(connect().subprotocol()).isEmpty();
		}

		@Test
		void refusedHandshakeThrowsWithTheStatus() {
			assertThatExceptionOfType(HandshakeRefusedException.class)
				.isThrownBy(() -> track(builder().header("Origin", "http://evil.example").connect()))
				.satisfies((ex) -> {
					assertThat(ex.status()).isEqualTo(403);
					assertThat(ex.uri()).isEqualTo(server.uri("/echo"));
				})
				.withMessage(
						"Server refused the WebSocket handshake with " + server.uri("/echo") + ": HTTP status 403");
		}

		@Test
		void refusedAsynchronousHandshakeCompletesExceptionallyWithTheStatus() {
			CompletableFuture<TuttiTestClient> connecting = TuttiTestClient.connectAsync(server.uri("/missing"));
			assertThat(connecting).failsWithin(10, TimeUnit.SECONDS)
				.withThrowableThat()
				.havingCause()
				.isInstanceOfSatisfying(HandshakeRefusedException.class, (ex) -> {
					assertThat(ex.status()).isEqualTo(404);
					assertThat(ex.headers()).containsKey("content-type");
				});
		}

		@Test
		void unreachableServerThrowsUncheckedIOException() throws Exception {
			URI closedPort;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				closedPort = URI.create("ws://localhost:" + socket.getLocalPort() + "/ws");
			}
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> TuttiTestClient.connect(closedPort))
				.withMessage("Could not connect to " + closedPort);
		}

		@Test
		void handshakeWithoutAnswerFailsAfterTheTimeout() throws Exception {
			try (SilentServer silent = SilentServer.neverAnswering()) {
				assertThatExceptionOfType(AssertionError.class)
					.isThrownBy(() -> TuttiTestClient.builder(silent.uri()).connectTimeout(SHORT).connect())
					.withMessage("Expected an answer to the opening handshake from " + silent.uri()
							+ " within 300ms, but none arrived");
			}
		}

		@Test
		void refusesAUriThatIsNotAWebSocketUri() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> TuttiTestClient.connect(URI.create("http://localhost/ws")))
				.withMessage("WebSocket URI must start with ws: or wss:, was 'http://localhost/ws'");
		}

		@Test
		void refusesInvalidBuilderSettings() {
			assertThatIllegalArgumentException().isThrownBy(() -> builder().timeout(Duration.ZERO))
				.withMessage("Timeout must be positive, was PT0S");
			assertThatIllegalArgumentException().isThrownBy(() -> builder().connectTimeout(Duration.ofSeconds(-1)));
			assertThatIllegalArgumentException().isThrownBy(() -> builder().messageTypeProperty(" "));
		}

	}

	@Nested
	class Messaging {

		@Test
		void exchangesBinaryMessages() {
			TuttiTestClient client = connect();
			byte[] data = { 1, 2, 3 };
			client.sendBinary(data);
			data[0] = 9;
			assertThat(client.awaitBinary()).containsExactly(1, 2, 3);
		}

		@Test
		void reassemblesFragmentedMessages() {
			TuttiTestClient client = connect();
			client.sendText("parts Hello, |fragmented |world");
			assertThat(client.awaitText()).isEqualTo("Hello, fragmented world");
			client.sendText("binary parts");
			assertThat(client.awaitBinary()).containsExactly(1, 2, 3);
		}

		@Test
		void exchangesMessagesLargerThanTheJdkDeliversAtOnce() {
			TuttiTestClient client = connect();
			Random random = new Random();
			StringBuilder text = new StringBuilder();
			while (text.length() < 200_000) {
				text.appendCodePoint((random.nextBoolean()) ? 'a' + random.nextInt(26) : 0x3040 + random.nextInt(0x60));
			}
			client.sendText(text.toString());
			assertThat(client.awaitText()).isEqualTo(text.toString());
			byte[] data = new byte[300_000];
			random.nextBytes(data);
			client.sendBinary(data);
			assertThat(client.awaitBinary()).isEqualTo(data);
		}

		@Test
		void messagesArriveInOrderAcrossKinds() {
			TuttiTestClient client = connect();
			client.sendText("first");
			client.sendBinary(new byte[] { 2 });
			client.sendText("third");
			assertThat(client.awaitText()).isEqualTo("first");
			assertThat(client.awaitBinary()).containsExactly(2);
			assertThat(client.awaitText()).isEqualTo("third");
		}

		@Test
		void sendsFromManyThreadsOneMessageAtATime() {
			TuttiTestClient client = connect();
			List<String> sent = IntStream.range(0, 200).mapToObj((i) -> "message " + i).toList();
			CompletableFuture<?>[] senders = IntStream.range(0, 4)
				.mapToObj((thread) -> CompletableFuture.runAsync(() -> {
					for (int i = thread; i < sent.size(); i += 4) {
						client.sendText(sent.get(i));
					}
				}))
				.toArray(CompletableFuture[]::new);
			assertThat(CompletableFuture.allOf(senders)).succeedsWithin(10, TimeUnit.SECONDS);
			List<String> received = new ArrayList<>();
			for (int i = 0; i < sent.size(); i++) {
				received.add(client.awaitText());
			}
			assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
		}

		@Test
		void awaitTextFailsOnABinaryMessage() {
			TuttiTestClient client = connect();
			client.sendBinary(new byte[] { 1, 2, 3 });
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::awaitText)
				.withMessage("Expected a text message from " + client.uri()
						+ ", but received binary message of 3 bytes [010203]");
		}

		@Test
		void awaitBinaryFailsOnATextMessage() {
			TuttiTestClient client = connect();
			client.sendText("words");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::awaitBinary)
				.withMessage("Expected a binary message from " + client.uri() + ", but received text message 'words'");
		}

		@Test
		void awaitTextFailsWhenNothingArrivesWithinTheTimeout() {
			TuttiTestClient client = track(builder().timeout(SHORT).connect());
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::awaitText)
				.withMessage("Expected a text message from " + client.uri() + " within 300ms, but none arrived");
		}

		@Test
		void awaitNoMessagePassesWhileTheServerIsSilent() {
			TuttiTestClient client = connect();
			client.awaitNoMessage(SHORT);
			client.sendText("after");
			assertThat(client.awaitText()).isEqualTo("after");
		}

		@Test
		void awaitNoMessageFailsWhenAMessageArrives() {
			TuttiTestClient client = connect();
			client.sendText("unexpected");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> client.awaitNoMessage(Duration.ofSeconds(5)))
				.withMessage(
						"Expected no message from " + client.uri() + " for 5s, but received text message 'unexpected'");
			assertThat(client.awaitText()).isEqualTo("unexpected");
		}

		@Test
		void countsAndAnswersPings() {
			TuttiTestClient client = connect();
			int pongsBefore = server.pongs();
			assertThat(client.pingsReceived()).isZero();
			client.sendText("ping 3");
			assertThat(client.awaitText()).isEqualTo("pinged");
			assertThat(client.pingsReceived()).isEqualTo(3);
			// RFC 6455 lets a client answer only the latest of several pings it has not
			// answered yet, and the JDK's client does
			await().untilAsserted(() -> assertThat(server.pongs() - pongsBefore).isBetween(1, 3));
		}

		@Test
		void sendingOnAClosedConnectionThrows() {
			TuttiTestClient client = connect();
			client.close();
			assertThatIllegalStateException().isThrownBy(() -> client.sendText("too late"))
				.withMessage("Cannot send a text message to " + client.uri() + ": the connection ended with 1000");
			assertThatIllegalStateException().isThrownBy(() -> client.sendBinary(new byte[1]));
		}

	}

	@Nested
	class Json {

		@Test
		void sendsAndAwaitsJson() {
			TuttiTestClient client = track(builder().codec(new JsonCodec()).connect());
			client.sendJson(new Chat("chat", "lobby", "hi"));
			assertThat(client.awaitJson(Chat.class)).isEqualTo(new Chat("chat", "lobby", "hi"));
		}

		@Test
		void awaitJsonOfATypeSkipsOtherMessages() {
			TuttiTestClient client = track(builder().codec(new JsonCodec()).connect());
			client.sendJson(new Presence("presence", "ada"));
			client.sendText("not json");
			client.sendBinary(new byte[] { 1 });
			client.sendJson(new Chat("chat", "lobby", "hi"));
			client.sendJson(new Presence("presence", "bob"));
			assertThat(client.awaitJson("chat", Chat.class)).isEqualTo(new Chat("chat", "lobby", "hi"));
			assertThat(client.awaitJson("presence", Presence.class)).isEqualTo(new Presence("presence", "bob"));
		}

		@Test
		void awaitJsonOfATypeListsTheSkippedMessagesWhenNoneArrives() {
			TuttiTestClient client = track(builder().codec(new JsonCodec()).timeout(SHORT).connect());
			client.sendText("{\"type\":\"presence\"}");
			client.sendBinary(new byte[] { 1 });
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.awaitJson("chat", Chat.class))
				.withMessage("Expected a JSON message with type 'chat' from " + client.uri()
						+ " within 300ms, but none arrived; "
						+ "skipped text message '{\"type\":\"presence\"}', binary message of 1 byte [01]");
		}

		@Test
		void readsTheMessageTypeFromAnotherProperty() {
			TuttiTestClient client = track(builder().codec(new JsonCodec()).messageTypeProperty("kind").connect());
			client.sendText("{\"type\":\"chat\",\"kind\":\"ignored\"}");
			client.sendText("{\"type\":\"other\",\"kind\":\"chat\"}");
			assertThat(client.awaitJson("chat", Kinded.class)).isEqualTo(new Kinded("other", "chat"));
		}

		@Test
		void awaitJsonFailsOnAMessageThatDoesNotDecode() {
			TuttiTestClient client = track(builder().codec(new JsonCodec()).connect());
			client.sendText("{\"type\":");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.awaitJson(Chat.class))
				.withMessageStartingWith("Expected a JSON Chat from " + client.uri()
						+ ", but decoding text message '{\"type\":' to " + Chat.class.getName() + " failed: ")
				.withCauseInstanceOf(RuntimeException.class);
		}

		@Test
		void jsonNeedsACodec() {
			TuttiTestClient client = connect();
			assertThatIllegalStateException().isThrownBy(() -> client.sendJson(new Presence("presence", "ada")))
				.withMessage(
						"No codec for JSON messages: configure one with TuttiTestClient.builder(uri).codec(codec)");
			assertThatIllegalStateException().isThrownBy(() -> client.awaitJson(Chat.class));
		}

	}

	@Nested
	class Closing {

		@Test
		void closeEndsTheConnectionNormally() {
			TuttiTestClient client = connect();
			client.close();
			assertThat(client.isOpen()).isFalse();
			assertThat(client.awaitClose()).isEqualTo(CloseStatus.NORMAL);
			await().untilAsserted(() -> assertThat(server.closes()).extracting(this::code).contains(1000));
		}

		@Test
		void closeSendsTheCodeAndReason() {
			TuttiTestClient client = connect();
			client.close(4000, "bye");
			assertThat(client.awaitClose()).isEqualTo(new CloseStatus(4000, "bye"));
			await().untilAsserted(() -> assertThat(server.closes()).extracting(this::code, CloseReason::getReasonPhrase)
				.contains(tuple(4000, "bye")));
		}

		@Test
		void closeFailsOnACodeTheClientMayNotSend() {
			TuttiTestClient client = connect();
			assertThatIllegalArgumentException().isThrownBy(() -> client.close(1006, ""));
			assertThat(client.isOpen()).isTrue();
		}

		@Test
		void closeIsSafeToRepeat() {
			TuttiTestClient client = connect();
			client.close();
			client.close(4000, "again");
			client.drop();
			assertThat(client.awaitClose()).isEqualTo(CloseStatus.NORMAL);
		}

		@Test
		void tryWithResourcesClosesTheConnection() {
			TuttiTestClient escaped;
			try (TuttiTestClient client = connect()) {
				client.sendText("inside");
				assertThat(client.awaitText()).isEqualTo("inside");
				escaped = client;
			}
			assertThat(escaped.isOpen()).isFalse();
			assertThat(escaped.awaitClose()).isEqualTo(CloseStatus.NORMAL);
		}

		@Test
		void awaitsTheServersCloseStatus() {
			TuttiTestClient client = connect();
			client.sendText("close 4001 kicked");
			assertThat(client.assertClosedWith(4001)).isEqualTo(new CloseStatus(4001, "kicked"));
			assertThat(client.isOpen()).isFalse();
		}

		@Test
		void assertClosedWithFailsOnAnotherCode() {
			TuttiTestClient client = connect();
			client.sendText("close 4001 kicked");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.assertClosedWith(1008))
				.withMessage("Expected a close with code 1008 from " + client.uri()
						+ ", but the connection ended with 4001 (kicked)");
		}

		@Test
		void awaitCloseFailsWhileTheConnectionStaysOpen() {
			TuttiTestClient client = track(builder().timeout(SHORT).connect());
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::awaitClose)
				.withMessage(
						"Expected a close from " + client.uri() + " within 300ms, but the connection is still open");
		}

		@Test
		void awaitingAMessageFailsAtOnceWhenTheServerCloses() {
			TuttiTestClient client = connect();
			client.sendText("before");
			client.sendText("close 4001 kicked");
			assertThat(client.awaitText()).isEqualTo("before");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::awaitText)
				.withMessage("Expected a text message from " + client.uri()
						+ ", but the connection ended with 4001 (kicked)");
		}

		@Test
		void dropEndsTheConnectionWithoutACloseFrame() {
			TuttiTestClient client = connect();
			client.sendText("ready");
			assertThat(client.awaitText()).isEqualTo("ready");
			int closesBefore = server.closes().size();
			client.drop();
			assertThat(client.isOpen()).isFalse();
			assertThat(client.awaitClose()).isEqualTo(CloseStatus.NO_CLOSE_FRAME.withReason("Dropped by the client"));
			await().untilAsserted(() -> assertThat(server.closes()).hasSize(closesBefore + 1)
				.last()
				.extracting(this::code)
				.isEqualTo(1006));
		}

		@Test
		void closeWithoutAnAnswerDropsTheConnectionAfterTheTimeout() throws Exception {
			try (SilentServer silent = SilentServer.upgradingThenSilent()) {
				TuttiTestClient client = TuttiTestClient.builder(silent.uri()).timeout(SHORT).connect();
				client.close();
				assertThat(client.isOpen()).isFalse();
				assertThat(client.awaitClose())
					.isEqualTo(CloseStatus.NO_CLOSE_FRAME.withReason("No answer to the close frame within 300ms"));
			}
		}

		private int code(CloseReason reason) {
			return reason.getCloseCode().getCode();
		}

	}

	record Chat(String type, String room, String text) {

	}

	record Presence(String type, String name) {

	}

	record Kinded(String type, String kind) {

	}

}
