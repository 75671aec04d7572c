package dev.tutti.spring.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.tutti.Hub;
import dev.tutti.Target;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;
import dev.tutti.test.RawWebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for how messages leave an embedded Tomcat: each as exactly one frame,
 * whatever its size, written by {@code session.write} or by a broadcast, and messages of
 * many MiB echoed intact. Read with a raw socket client that sees the frames themselves.
 * The same hub is served twice: at {@code /ws} through Tomcat's frame writer, and at
 * {@code /ws-standard} through the standard Jakarta WebSocket API only.
 * <p>
 * The hub echoes every message, and answers a text
 * {@code "<text|binary> <write|broadcast>
 * <bytes>"} with a message of that kind and size.
 */
@SpringBootTest(classes = FramesIntegrationTests.FramesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tutti.max-message-size=16MB", "tutti.write-timeout=30s" })
class FramesIntegrationTests {

	private static final int MIB = 1024 * 1024;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME)
	Hub hub;

	private final List<RawWebSocketClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() throws IOException {
		for (RawWebSocketClient client : this.clients) {
			client.abort();
		}
		await().until(() -> this.hub.size() == 0);
	}

	@Test
	void everyMessageLeavesAsOneFrame() throws IOException {
		assertOneFramePerMessage("/ws");
	}

	@Test
	void everyMessageLeavesAsOneFrameOnTheStandardPathExceptLargeText() throws IOException {
		RawWebSocketClient client = connect("/ws-standard");
		for (int size : new int[] { 60, 1024, 8 * 1024, 64 * 1024, MIB }) {
			for (String how : new String[] { "write", "broadcast" }) {
				client.sendText("binary " + how + " " + size);
				RawWebSocketClient.Frame frame = client.readMessageFrame(TIMEOUT);
				assertThat(frame.fin()).as("binary %s of %d bytes", how, size).isTrue();
				assertThat(frame.payload()).isEqualTo(payload(size));
				client.sendText("text " + how + " " + size);
				assertThat(readMessage(client, RawWebSocketClient.TEXT)).isEqualTo(payload(size));
			}
		}
	}

	@Test
	void fourMibBinaryIsEchoed() throws IOException {
		assertEchoed("/ws", RawWebSocketClient.BINARY, randomBytes(4 * MIB));
	}

	@Test
	void sixteenMibBinaryIsEchoed() throws IOException {
		assertEchoed("/ws", RawWebSocketClient.BINARY, randomBytes(16 * MIB));
	}

	@Test
	void fourMibTextIsEchoed() throws IOException {
		assertEchoed("/ws", RawWebSocketClient.TEXT, randomText(4 * MIB));
	}

	@Test
	void sixteenMibTextIsEchoed() throws IOException {
		assertEchoed("/ws", RawWebSocketClient.TEXT, randomText(16 * MIB));
	}

	@Test
	void sixteenMibBinaryIsEchoedOnTheStandardPath() throws IOException {
		assertEchoed("/ws-standard", RawWebSocketClient.BINARY, randomBytes(16 * MIB));
	}

	@Test
	void fourMibTextIsEchoedOnTheStandardPath() throws IOException {
		RawWebSocketClient client = connect("/ws-standard");
		byte[] text = randomText(4 * MIB);
		client.sendFrame(true, RawWebSocketClient.TEXT, text);
		assertThat(readMessage(client, RawWebSocketClient.TEXT)).isEqualTo(text);
	}

	private void assertOneFramePerMessage(String path) throws IOException {
		RawWebSocketClient client = connect(path);
		for (int size : new int[] { 60, 1024, 8 * 1024, 64 * 1024, MIB }) {
			for (String kind : new String[] { "text", "binary" }) {
				for (String how : new String[] { "write", "broadcast" }) {
					client.sendText(kind + " " + how + " " + size);
					RawWebSocketClient.Frame frame = client.readMessageFrame(TIMEOUT);
					assertThat(frame.fin()).as("%s %s of %d bytes is one frame", kind, how, size).isTrue();
					assertThat(frame.opcode())
						.isEqualTo(kind.equals("text") ? RawWebSocketClient.TEXT : RawWebSocketClient.BINARY);
					assertThat(frame.payload()).isEqualTo(payload(size));
				}
			}
		}
	}

	private void assertEchoed(String path, int opcode, byte[] message) throws IOException {
		RawWebSocketClient client = connect(path);
		client.sendFrame(true, opcode, message);
		RawWebSocketClient.Frame frame = client.readMessageFrame(TIMEOUT);
		assertThat(frame.fin()).isTrue();
		assertThat(frame.opcode()).isEqualTo(opcode);
		assertThat(frame.payload()).isEqualTo(message);
	}

	/**
	 * Read a message that may come in fragments.
	 */
	private static byte[] readMessage(RawWebSocketClient client, int opcode) throws IOException {
		RawWebSocketClient.Frame frame = client.readMessageFrame(TIMEOUT);
		assertThat(frame.opcode()).isEqualTo(opcode);
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		message.writeBytes(frame.payload());
		while (!frame.fin()) {
			frame = client.readMessageFrame(TIMEOUT);
			assertThat(frame.opcode()).isEqualTo(RawWebSocketClient.CONTINUATION);
			message.writeBytes(frame.payload());
		}
		return message.toByteArray();
	}

	private RawWebSocketClient connect(String path) throws IOException {
		RawWebSocketClient client = RawWebSocketClient.connect(this.port, path, Map.of(), 0);
		this.clients.add(client);
		assertThat(client.status()).isEqualTo(101);
		return client;
	}

	/** ASCII bytes of the given size, the same for text and binary. */
	static byte[] payload(int size) {
		byte[] payload = new byte[size];
		for (int i = 0; i < size; i++) {
			payload[i] = (byte) ('a' + i % 26);
		}
		return payload;
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	/** UTF-8 of about the given size, with characters of one to four bytes. */
	private static byte[] randomText(int size) {
		String[] characters = { "a", "Z", " ", "é", "ß", "€", "中", "\uD834\uDD1E" };
		Random random = new Random(size);
		StringBuilder text = new StringBuilder(size);
		while (text.length() < size / 2) {
			text.append(characters[random.nextInt(characters.length)]);
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class FramesApplication {

		@Bean
		TuttiHubCustomizer echo() {
			return (hub) -> {
				hub.onBinaryMessage((session, data) -> session.writeBinary(data));
				hub.onMessage((session, text) -> {
					String[] command = text.split(" ");
					if (command.length != 3) {
						session.write(text);
						return;
					}
					byte[] payload = payload(Integer.parseInt(command[2]));
					Target self = Target.sessions(session.id());
					boolean write = command[1].equals("write");
					if (command[0].equals("text")) {
						String message = new String(payload, StandardCharsets.US_ASCII);
						if (write) {
							session.write(message);
						}
						else {
							hub.broadcast(self, message);
						}
					}
					else if (write) {
						session.writeBinary(payload);
					}
					else {
						hub.broadcastBinary(self, payload);
					}
				});
			};
		}

		/**
		 * Serve the auto-configured hub a second time, through the standard API only.
		 */
		@Bean
		HandlerMapping standardHandlerMapping(@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME) Hub hub) {
			WebSocketHttpRequestHandler handler = new WebSocketHttpRequestHandler(new TuttiWebSocketHandler(hub, false),
					new DefaultHandshakeHandler());
			handler.setHandshakeInterceptors(List.of(new TuttiHandshakeInterceptor(hub)));
			Map<String, Object> urlMap = new LinkedHashMap<>();
			urlMap.put("/ws-standard", handler);
			WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
			mapping.setUrlMap(urlMap);
			mapping.setOrder(0);
			return mapping;
		}

	}

}
