package dev.tutti.spring.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.tutti.CloseStatus;
import dev.tutti.MessageTooBigException;
import dev.tutti.Session;
import dev.tutti.SessionClosedException;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import jakarta.websocket.server.ServerContainer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Inbound and outbound messages through a real Tomcat: echo, large and oversize messages,
 * ordering, failing handlers, tracked writes and sent-message hooks.
 */
class MessagingIntegrationTests extends AbstractIntegrationTests {

	private final Random random = new Random();

	@Autowired
	WebApplicationContext context;

	@Test
	void echoesRandomTextMessages() {
		TuttiTestClient client = connect();
		for (int i = 0; i < 100; i++) {
			String text = randomText(this.random.nextInt(2000));
			client.sendText(text);
			assertThat(client.awaitText()).isEqualTo(text);
		}
	}

	@Test
	void echoesRandomBinaryMessages() {
		TuttiTestClient client = connect();
		for (int i = 0; i < 100; i++) {
			byte[] data = new byte[this.random.nextInt(2000)];
			this.random.nextBytes(data);
			client.sendBinary(data);
			assertThat(client.awaitBinary()).isEqualTo(data);
		}
	}

	@Test
	void acceptsMessagesLargerThanTheContainerBuffers() {
		ServerContainer container = (ServerContainer) this.context.getServletContext()
			.getAttribute(ServerContainer.class.getName());
		assertThat(container.getDefaultMaxTextMessageBufferSize()).isLessThan(200 * 1024);
		assertThat(container.getDefaultMaxBinaryMessageBufferSize()).isLessThan(200 * 1024);
		TuttiTestClient client = connect();
		String text = randomAscii(200 * 1024);
		client.sendText(text);
		assertThat(client.awaitText()).isEqualTo(text);
		byte[] data = new byte[200 * 1024];
		this.random.nextBytes(data);
		client.sendBinary(data);
		assertThat(client.awaitBinary()).isEqualTo(data);
		assertThat(this.events.errorsOf(this.events.session(client))).isEmpty();
	}

	@Test
	void reassemblesMultiByteTextSpanningManyContainerBuffers() {
		TuttiTestClient client = connect();
		String text = randomText(60_000);
		assertThat(text.getBytes(StandardCharsets.UTF_8).length).isBetween(64 * 1024, 256 * 1024);
		client.sendText(text);
		assertThat(client.awaitText()).isEqualTo(text);
	}

	@Test
	void reassemblesFragmentedMessages() throws Exception {
		RawWebSocketClient client = connectRaw("/ws?client=fragments", Map.of(), 0);
		client.sendFrame(false, RawWebSocketClient.TEXT, "Hello, ".getBytes(StandardCharsets.UTF_8));
		client.sendFrame(true, RawWebSocketClient.PING, new byte[] { 1 });
		client.sendFrame(false, RawWebSocketClient.CONTINUATION, "fragmented ".getBytes(StandardCharsets.UTF_8));
		client.sendFrame(true, RawWebSocketClient.CONTINUATION, "world".getBytes(StandardCharsets.UTF_8));
		client.sendFrame(false, RawWebSocketClient.BINARY, new byte[] { 1, 2 });
		client.sendFrame(true, RawWebSocketClient.CONTINUATION, new byte[] { 3 });
		assertThat(client.readMessageFrame(Duration.ofSeconds(10)).text()).isEqualTo("Hello, fragmented world");
		assertThat(client.readMessageFrame(Duration.ofSeconds(10)).payload()).containsExactly(1, 2, 3);
	}

	@Test
	void closesWith1009WhenAMessageExceedsTheMaximumSize() {
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		client.sendText("x".repeat(256 * 1024 + 1));
		assertThat(client.awaitClose().code()).isEqualTo(1009);
		await().untilAsserted(() -> assertThat(this.events.disconnectsOf(session)).singleElement()
			.extracting(CloseStatus::code)
			.isEqualTo(1009));
		assertThat(this.events.errorsOf(session)).singleElement().isInstanceOf(MessageTooBigException.class);
	}

	@Test
	void acceptsAMessageOfExactlyTheMaximumSize() {
		TuttiTestClient client = connect();
		byte[] data = new byte[256 * 1024];
		this.random.nextBytes(data);
		client.sendBinary(data);
		assertThat(client.awaitBinary()).isEqualTo(data);
	}

	@Test
	void handlesTheMessagesOfOneSessionInOrder() {
		TuttiTestClient client = connect();
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			sent.add("message " + i);
			client.sendText("message " + i);
		}
		List<String> received = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			received.add(client.awaitText());
		}
		assertThat(received).isEqualTo(sent);
	}

	@Test
	void throwingMessageHandlerIsReportedAndSessionsKeepWorking() {
		this.events.onMessage((session, text) -> {
			if (text.equals("boom")) {
				throw new IllegalStateException("boom");
			}
			session.write(text);
		});
		TuttiTestClient failing = connect();
		TuttiTestClient other = connect();
		Session session = this.events.session(failing);
		failing.sendText("boom");
		await().untilAsserted(() -> assertThat(this.events.errorsOf(session)).singleElement()
			.isInstanceOf(IllegalStateException.class)
			.extracting(Throwable::getMessage)
			.isEqualTo("boom"));
		failing.sendText("after");
		assertThat(failing.awaitText()).isEqualTo("after");
		other.sendText("other");
		assertThat(other.awaitText()).isEqualTo("other");
		assertThat(session.isClosed()).isFalse();
		assertThat(this.hub.size()).isEqualTo(2);
	}

	@Test
	void writeAsyncCompletesOnceTheMessageIsWritten() throws Exception {
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		session.writeAsync("tracked").toCompletableFuture().get(10, TimeUnit.SECONDS);
		assertThat(client.awaitText()).isEqualTo("tracked");
		session.writeBinaryAsync(new byte[] { 1, 2, 3 }).toCompletableFuture().get(10, TimeUnit.SECONDS);
		assertThat(client.awaitBinary()).containsExactly(1, 2, 3);
		session.close();
		assertThat(session.writeAsync("too late").toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(SessionClosedException.class);
		assertThatExceptionOfType(SessionClosedException.class).isThrownBy(() -> session.write("too late"));
		assertThat(client.awaitClose()).isEqualTo(CloseStatus.NORMAL);
	}

	@Test
	void sentMessageHandlersSeeWrittenMessages() {
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		session.write("text");
		session.writeBinary(new byte[] { 4, 5 });
		assertThat(client.awaitText()).isEqualTo("text");
		assertThat(client.awaitBinary()).containsExactly(4, 5);
		await().untilAsserted(() -> assertThat(this.events.sentTo(session)).hasSize(2));
		assertThat(this.events.sentTo(session)).first().isEqualTo("text");
		assertThat(this.events.sentTo(session)).last().isEqualTo(new byte[] { 4, 5 });
	}

	private String randomAscii(int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append((char) (0x20 + this.random.nextInt(0x5F)));
		}
		return text.toString();
	}

	private String randomText(int length) {
		StringBuilder text = new StringBuilder(length);
		while (text.length() < length) {
			int codePoint = switch (this.random.nextInt(4)) {
				case 0 -> 0x20 + this.random.nextInt(0x5F);
				case 1 -> 0xA0 + this.random.nextInt(0x700);
				case 2 -> 0x3040 + this.random.nextInt(0x1000);
				default -> 0x1F300 + this.random.nextInt(0x200);
			};
			text.appendCodePoint(codePoint);
		}
		return text.toString();
	}

}
