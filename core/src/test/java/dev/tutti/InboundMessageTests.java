package dev.tutti;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.transport.ConnectionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for inbound messages: echo, reassembly of parts and the maximum message size.
 */
class InboundMessageTests {

	private static final int LIMIT = 64;

	private final Random random = new Random();

	private final Hub hub = Hub.create(HubConfig.builder().maxMessageSize(LIMIT).build());

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();

	InboundMessageTests() {
		this.hub.onMessage(Session::write);
		this.hub.onBinaryMessage(Session::writeBinary);
		this.hub.onError((session, error) -> this.errors.add(error));
		this.hub.onDisconnect((session, status) -> this.disconnects.add(status));
	}

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void echoesRandomTextMessages() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		List<String> messages = List.of(randomText(1), randomText(20), randomText(LIMIT), "", "h\u00e9llo \u20ac");
		messages.forEach((message) -> listener.onText(message, true));
		assertThat(connection.texts()).containsExactlyElementsOf(messages);
		assertThat(this.errors).isEmpty();
	}

	@Test
	void echoesRandomBinaryMessages() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		List<byte[]> messages = List.of(randomBytes(1), randomBytes(33), randomBytes(LIMIT), new byte[0]);
		messages.forEach((message) -> listener.onBinary(ByteBuffer.wrap(message), true));
		assertThat(connection.binaries()).containsExactlyElementsOf(messages);
		assertThat(this.errors).isEmpty();
	}

	@Test
	void echoesTextMessagesWithAsynchronousCompletion() {
		TestConnection connection = new TestConnection().completeAsync();
		ConnectionListener listener = connection.open(this.hub);
		List<String> messages = List.of(randomText(5), randomText(50), randomText(10));
		messages.forEach((message) -> listener.onText(message, true));
		await().untilAsserted(() -> assertThat(connection.texts()).containsExactlyElementsOf(messages));
	}

	@Test
	void reassemblesTextMessageSentInParts() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onText("Hel", false);
		listener.onText("", false);
		listener.onText("lo, w\u00f6", false);
		assertThat(connection.texts()).isEmpty();
		listener.onText("rld", true);
		listener.onText("next", true);
		assertThat(connection.texts()).containsExactly("Hello, w\u00f6rld", "next");
	}

	@Test
	void reassemblesBinaryMessageSentInParts() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		byte[] message = randomBytes(LIMIT);
		listener.onBinary(ByteBuffer.wrap(message, 0, 3), false);
		listener.onBinary(ByteBuffer.wrap(message, 3, 0), false);
		listener.onBinary(ByteBuffer.wrap(message, 3, 40), false);
		assertThat(connection.binaries()).isEmpty();
		listener.onBinary(ByteBuffer.wrap(message, 43, LIMIT - 43), true);
		byte[] next = randomBytes(7);
		listener.onBinary(ByteBuffer.wrap(next), true);
		assertThat(connection.binaries()).containsExactly(message, next);
	}

	@Test
	void acceptsTextMessageOfExactlyTheLimit() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		String message = "\u20ac".repeat(LIMIT / 3) + "a".repeat(LIMIT % 3);
		assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT);
		listener.onText(message, true);
		assertThat(connection.texts()).containsExactly(message);
		assertThat(this.errors).isEmpty();
		assertThat(this.hub.size()).isOne();
	}

	@Test
	void acceptsTextMessageInPartsOfExactlyTheLimit() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		String half = "\u00e9".repeat(LIMIT / 4);
		listener.onText(half, false);
		listener.onText(half, true);
		assertThat(connection.texts()).containsExactly(half + half);
		assertThat(this.errors).isEmpty();
	}

	@Test
	void acceptsTextMessageWithSurrogatePairSplitAcrossParts() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		String emoji = "\ud83d\ude00";
		String message = "a".repeat(LIMIT - 4) + emoji;
		assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT);
		listener.onText(message.substring(0, LIMIT - 3), false);
		listener.onText(message.substring(LIMIT - 3), true);
		assertThat(connection.texts()).containsExactly(message);
		assertThat(this.errors).isEmpty();
	}

	@Test
	void closesSessionOnSurrogatePairSplitAcrossPartsBeyondTheLimit() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		String emoji = "\ud83d\ude00";
		listener.onText("a".repeat(LIMIT - 3) + emoji.charAt(0), false);
		assertThat(this.errors).isEmpty();
		listener.onText(emoji.substring(1), true);
		assertTooBig(connection);
	}

	@Test
	void acceptsBinaryMessageOfExactlyTheLimit() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		byte[] message = randomBytes(LIMIT);
		listener.onBinary(ByteBuffer.wrap(message, 0, LIMIT / 2), false);
		listener.onBinary(ByteBuffer.wrap(message, LIMIT / 2, LIMIT - LIMIT / 2), true);
		assertThat(connection.binaries()).containsExactly(message);
		assertThat(this.errors).isEmpty();
	}

	@Test
	void closesSessionOnOversizeTextMessage() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onText("a".repeat(LIMIT + 1), true);
		assertTooBig(connection);
	}

	@Test
	void countsTextInUtf8Bytes() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		String message = "\u20ac".repeat(LIMIT / 3 + 1);
		assertThat(message.length()).isLessThan(LIMIT);
		listener.onText(message, true);
		assertTooBig(connection);
	}

	@Test
	void closesSessionOnOversizeTextMessageAccumulatedFromParts() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onText("\u00e9".repeat(LIMIT / 4), false);
		listener.onText("\u00e9".repeat(LIMIT / 4), false);
		assertThat(this.errors).isEmpty();
		listener.onText("a", true);
		assertTooBig(connection);
	}

	@Test
	void closesSessionOnOversizeBinaryMessage() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onBinary(ByteBuffer.wrap(randomBytes(LIMIT + 1)), true);
		assertTooBig(connection);
	}

	@Test
	void closesSessionOnOversizeBinaryMessageAccumulatedFromParts() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onBinary(ByteBuffer.wrap(randomBytes(LIMIT - 1)), false);
		assertThat(this.errors).isEmpty();
		listener.onBinary(ByteBuffer.wrap(randomBytes(2)), false);
		assertTooBig(connection);
	}

	@Test
	void ignoresPartsAfterOversizeMessage() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onText("a".repeat(LIMIT + 1), false);
		listener.onText("b", true);
		listener.onClosed(1006, "");
		assertTooBig(connection);
	}

	@Test
	void closesSessionWhoseFragmentedMessageTakesLongerThanTheAssemblyTimeout() {
		Hub hub = Hub.create(HubConfig.builder().messageAssemblyTimeout(Duration.ofMillis(200)).build());
		List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();
		hub.onDisconnect((session, status) -> disconnects.add(status));
		try {
			TestConnection connection = new TestConnection();
			ConnectionListener listener = connection.open(hub);
			listener.onBinary(ByteBuffer.wrap(randomBytes(LIMIT)), false);
			await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.ASSEMBLY_TIMEOUT));
			assertThat(CloseStatus.ASSEMBLY_TIMEOUT.code()).isEqualTo(1008);
			assertThat(disconnects).containsExactly(CloseStatus.ASSEMBLY_TIMEOUT);
			assertThat(hub.size()).isZero();
			listener.onBinary(ByteBuffer.wrap(randomBytes(1)), true);
			assertThat(connection.binaries()).isEmpty();
		}
		finally {
			hub.close();
		}
	}

	@Test
	void keepsSessionWhoseFragmentedMessagesEachCompleteWithinTheAssemblyTimeout() {
		Hub hub = Hub.create(HubConfig.builder().messageAssemblyTimeout(Duration.ofMillis(200)).build());
		hub.onMessage(Session::write);
		try {
			TestConnection connection = new TestConnection();
			ConnectionListener listener = connection.open(hub);
			long end = System.nanoTime() + Duration.ofMillis(600).toNanos();
			int messages = 0;
			while (System.nanoTime() - end < 0) {
				listener.onText("a", false);
				listener.onText("b", true);
				messages++;
			}
			assertThat(connection.texts()).hasSize(messages);
			assertThat(connection.closes()).isEmpty();
			assertThat(hub.size()).isOne();
		}
		finally {
			hub.close();
		}
	}

	private void assertTooBig(TestConnection connection) {
		assertThat(this.errors).singleElement().isInstanceOfSatisfying(MessageTooBigException.class, (ex) -> {
			assertThat(ex.getCloseStatus()).isEqualTo(CloseStatus.TOO_BIG);
			assertThat(ex).hasMessageContaining(String.valueOf(LIMIT));
		});
		await().untilAsserted(() -> assertThat(connection.closes()).singleElement()
			.satisfies((status) -> assertThat(status.code()).isEqualTo(1009)));
		assertThat(this.disconnects).singleElement().satisfies((status) -> assertThat(status.code()).isEqualTo(1009));
		assertThat(this.hub.size()).isZero();
		assertThat(connection.texts()).isEmpty();
		assertThat(connection.binaries()).isEmpty();
	}

	private String randomText(int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append((char) ('!' + this.random.nextInt(90)));
		}
		return text.toString();
	}

	private byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

}
