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
	void echoesRandomTextMessages() throws Exception {
		TestClient client = connect();
		for (int i = 0; i < 100; i++) {
			String text = randomText(this.random.nextInt(2000));
			client.send(text);
			assertThat(client.receive()).isEqualTo(text);
		}
	}

	@Test
	void echoesRandomBinaryMessages() throws Exception {
		TestClient client = connect();
		for (int i = 0; i < 100; i++) {
			byte[] data = new byte[this.random.nextInt(2000)];
			this.random.nextBytes(data);
			client.sendBinary(data);
			assertThat(client.receiveBinary()).isEqualTo(data);
		}
	}

	@Test
	void acceptsMessagesLargerThanTheContainerBuffers() throws Exception {
		ServerContainer container = (ServerContainer) this.context.getServletContext()
			.getAttribute(ServerContainer.class.getName());
		assertThat(container.getDefaultMaxTextMessageBufferSize()).isLessThan(200 * 1024);
		assertThat(container.getDefaultMaxBinaryMessageBufferSize()).isLessThan(200 * 1024);
		TestClient client = connect();
		String text = randomAscii(200 * 1024);
		client.send(text);
		assertThat(client.receive()).isEqualTo(text);
		byte[] data = new byte[200 * 1024];
		this.random.nextBytes(data);
		client.sendBinary(data);
		assertThat(client.receiveBinary()).isEqualTo(data);
		assertThat(this.events.errorsOf(this.events.session(client.id()))).isEmpty();
	}

	@Test
	void reassemblesMultiByteTextSpanningManyContainerBuffers() throws Exception {
		TestClient client = connect();
		String text = randomText(60_000);
		assertThat(text.getBytes(StandardCharsets.UTF_8).length).isBetween(64 * 1024, 256 * 1024);
		client.send(text);
		assertThat(client.receive()).isEqualTo(text);
	}

	@Test
	void reassemblesFragmentedMessages() throws Exception {
		RawClient client = connectRaw("/ws?client=fragments", Map.of(), 0);
		client.sendFrame(false, RawClient.TEXT, "Hello, ".getBytes(StandardCharsets.UTF_8));
		client.sendFrame(true, RawClient.PING, new byte[] { 1 });
		client.sendFrame(false, RawClient.CONTINUATION, "fragmented ".getBytes(StandardCharsets.UTF_8));
		client.sendFrame(true, RawClient.CONTINUATION, "world".getBytes(StandardCharsets.UTF_8));
		client.sendFrame(false, RawClient.BINARY, new byte[] { 1, 2 });
		client.sendFrame(true, RawClient.CONTINUATION, new byte[] { 3 });
		assertThat(client.readMessageFrame(Duration.ofSeconds(10)).text()).isEqualTo("Hello, fragmented world");
		assertThat(client.readMessageFrame(Duration.ofSeconds(10)).payload()).containsExactly(1, 2, 3);
	}

	@Test
	void closesWith1009WhenAMessageExceedsTheMaximumSize() throws Exception {
		TestClient client = connect();
		Session session = this.events.session(client.id());
		client.send("x".repeat(256 * 1024 + 1));
		assertThat(client.awaitClose().code()).isEqualTo(1009);
		await().untilAsserted(() -> assertThat(this.events.disconnectsOf(session)).singleElement()
			.extracting(CloseStatus::code)
			.isEqualTo(1009));
		assertThat(this.events.errorsOf(session)).singleElement().isInstanceOf(MessageTooBigException.class);
	}

	@Test
	void acceptsAMessageOfExactlyTheMaximumSize() throws Exception {
		TestClient client = connect();
		byte[] data = new byte[256 * 1024];
		this.random.nextBytes(data);
		client.sendBinary(data);
		assertThat(client.receiveBinary()).isEqualTo(data);
	}

	@Test
	void handlesTheMessagesOfOneSessionInOrder() throws Exception {
		TestClient client = connect();
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			sent.add("message " + i);
			client.send("message " + i);
		}
		List<String> received = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			received.add(client.receive());
		}
		assertThat(received).isEqualTo(sent);
	}

	@Test
	void throwingMessageHandlerIsReportedAndSessionsKeepWorking() throws Exception {
		this.events.onMessage((session, text) -> {
			if (text.equals("boom")) {
				throw new IllegalStateException("boom");
			}
			session.write(text);
		});
		TestClient failing = connect();
		TestClient other = connect();
		Session session = this.events.session(failing.id());
		failing.send("boom");
		await().untilAsserted(() -> assertThat(this.events.errorsOf(session)).singleElement()
			.isInstanceOf(IllegalStateException.class)
			.extracting(Throwable::getMessage)
			.isEqualTo("boom"));
		failing.send("after");
		assertThat(failing.receive()).isEqualTo("after");
		other.send("other");
		assertThat(other.receive()).isEqualTo("other");
		assertThat(session.isClosed()).isFalse();
		assertThat(this.hub.size()).isEqualTo(2);
	}

	@Test
	void writeAsyncCompletesOnceTheMessageIsWritten() throws Exception {
		TestClient client = connect();
		Session session = this.events.session(client.id());
		session.writeAsync("tracked").toCompletableFuture().get(10, TimeUnit.SECONDS);
		assertThat(client.receive()).isEqualTo("tracked");
		session.writeBinaryAsync(new byte[] { 1, 2, 3 }).toCompletableFuture().get(10, TimeUnit.SECONDS);
		assertThat(client.receiveBinary()).containsExactly(1, 2, 3);
		session.close();
		assertThat(session.writeAsync("too late").toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(SessionClosedException.class);
		assertThatExceptionOfType(SessionClosedException.class).isThrownBy(() -> session.write("too late"));
		assertThat(client.awaitClose()).isEqualTo(CloseStatus.NORMAL);
	}

	@Test
	void sentMessageHandlersSeeWrittenMessages() throws Exception {
		TestClient client = connect();
		Session session = this.events.session(client.id());
		session.write("text");
		session.writeBinary(new byte[] { 4, 5 });
		assertThat(client.receive()).isEqualTo("text");
		assertThat(client.receiveBinary()).containsExactly(4, 5);
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
