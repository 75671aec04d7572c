package dev.tutti.benchmarks.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.tutti.Hub;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.RawWebSocketClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.tutti.test.RawWebSocketClient.BINARY;
import static dev.tutti.test.RawWebSocketClient.CLOSE;
import static dev.tutti.test.RawWebSocketClient.CONTINUATION;
import static dev.tutti.test.RawWebSocketClient.PING;
import static dev.tutti.test.RawWebSocketClient.PONG;
import static dev.tutti.test.RawWebSocketClient.TEXT;
import static dev.tutti.test.RawWebSocketClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RFC 6455 conformance of the shootout server's echo hub, started with
 * {@code tutti.max-message-size=16MB}, under a client that writes every frame itself. One
 * test per category of Autobahn|Testsuite's cases (sections 1 to 7 and 9), whose verdicts
 * decide what is strict and what is lenient: framing and message sizes, pings and pongs,
 * control frames, UTF-8, reserved bits and opcodes and fragmentation, and close frames.
 */
@SpringBootTest(classes = { ShootoutApplication.class, TuttiShootoutConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "tutti.max-message-size=16MB")
class EchoConformanceIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int MIB = 1024 * 1024;

	private final Random random = new Random();

	private final List<RawWebSocketClient> clients = new CopyOnWriteArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("echoHub")
	Hub echoHub;

	@AfterEach
	void closeClients() throws IOException {
		for (RawWebSocketClient client : this.clients) {
			client.close();
		}
		await().pollInterval(Duration.ofMillis(10)).until(() -> this.echoHub.size() == 0);
	}

	/**
	 * Autobahn 1.*, 5.3-5.8, 6.2-6.3, 9.*: text and binary messages of 0 B to 64 KiB,
	 * whole or fragmented into frames of 1 B to the whole message, come back intact, of
	 * the same type, in order. Text fragments split multi-byte characters.
	 */
	@Test
	void echoesMessagesOfAnySizeWholeOrFragmented() throws IOException {
		RawWebSocketClient client = connect();
		int[] sizes = { 0, 1, 125, 126, 127, 1000, 65535, 65536, 65537 };
		int[] fragmentSizes = { 1, 7, 125, 1024, 65536, Integer.MAX_VALUE };
		for (int size : sizes) {
			for (int fragmentSize : fragmentSizes) {
				if (fragmentSize == 1 && size > 4096 || fragmentSize == 7 && size > 65537) {
					continue;
				}
				byte[] text = text(size);
				client.sendMessage(TEXT, text, fragmentSize);
				assertMessage(client.readMessage(TIMEOUT), TEXT, text);
				byte[] binary = binary(size);
				client.sendMessage(BINARY, binary, fragmentSize);
				assertMessage(client.readMessage(TIMEOUT), BINARY, binary);
			}
		}
	}

	/**
	 * Autobahn 9.1.6: the largest text message the hub accepts, 16 MiB, whole.
	 */
	@Test
	void echoes16MiBTextMessage() throws IOException {
		RawWebSocketClient client = connect();
		byte[] text = text(16 * MIB);
		client.sendMessage(TEXT, text, Integer.MAX_VALUE);
		assertMessage(client.readMessage(TIMEOUT), TEXT, text);
	}

	/**
	 * Autobahn 9.2.6: the largest binary message the hub accepts, 16 MiB, in fragments of
	 * 64 KiB.
	 */
	@Test
	void echoes16MiBBinaryMessage() throws IOException {
		RawWebSocketClient client = connect();
		byte[] binary = binary(16 * MIB);
		client.sendMessage(BINARY, binary, 64 * 1024);
		assertMessage(client.readMessage(TIMEOUT), BINARY, binary);
	}

	/**
	 * Autobahn 9.1.*, 9.2.*: messages of 1 MiB and 4 MiB, whole and in fragments.
	 */
	@Test
	void echoesMessagesOfSeveralMiB() throws IOException {
		RawWebSocketClient client = connect();
		for (int size : new int[] { MIB, 4 * MIB }) {
			for (int fragmentSize : new int[] { 1024, Integer.MAX_VALUE }) {
				byte[] text = text(size);
				client.sendMessage(TEXT, text, fragmentSize);
				assertMessage(client.readMessage(TIMEOUT), TEXT, text);
				byte[] binary = binary(size);
				client.sendMessage(BINARY, binary, fragmentSize);
				assertMessage(client.readMessage(TIMEOUT), BINARY, binary);
			}
		}
	}

	/**
	 * Autobahn 2.1-2.4, 2.6, 2.10-2.11: every ping of 0 to 125 bytes gets its pong at
	 * once, whatever else the connection carries.
	 */
	@Test
	void answersEveryPingAtOnce() throws IOException {
		RawWebSocketClient client = connect();
		for (int length = 0; length <= 125; length++) {
			byte[] payload = binary(length);
			client.sendPing(payload);
			Frame pong = client.readFrame(TIMEOUT);
			assertThat(pong.opcode()).isEqualTo(PONG);
			assertThat(pong.payload()).isEqualTo(payload);
		}
		for (int i = 0; i < 10; i++) {
			client.sendPing(utf8("ping " + i));
		}
		for (int i = 0; i < 10; i++) {
			Frame pong = client.readFrame(TIMEOUT);
			assertThat(pong.opcode()).isEqualTo(PONG);
			assertThat(pong.text()).isEqualTo("ping " + i);
		}
	}

	/**
	 * Autobahn 5.6-5.8 and 2.*: pings with payloads of 0 to 125 bytes between the
	 * fragments of a message get pongs with the same payloads, in order, and the message
	 * still comes back intact; an unsolicited pong gets nothing.
	 */
	@Test
	void answersPingsBetweenFragments() throws IOException {
		RawWebSocketClient client = connect();
		client.sendFrame(true, PONG, utf8("unsolicited"));
		client.sendText("after the pong");
		assertMessage(client.readMessage(TIMEOUT), TEXT, utf8("after the pong"));
		for (int opcode : new int[] { TEXT, BINARY }) {
			for (int fragmentSize : new int[] { 1, 100, 500 }) {
				byte[] message = (opcode == TEXT) ? text(fragmentSize * 126 + 1) : binary(fragmentSize * 126 + 1);
				List<byte[]> pings = new ArrayList<>();
				for (int offset = 0; offset < message.length; offset += fragmentSize) {
					int length = Math.min(fragmentSize, message.length - offset);
					boolean fin = offset + length == message.length;
					client.sendFrame(fin, (offset == 0) ? opcode : CONTINUATION,
							Arrays.copyOfRange(message, offset, offset + length));
					if (!fin) {
						byte[] ping = binary(pings.size() % 126);
						pings.add(ping);
						client.sendPing(ping);
					}
				}
				List<Frame> controls = new ArrayList<>();
				assertMessage(client.readMessage(TIMEOUT, controls), opcode, message);
				while (controls.size() < pings.size()) {
					controls.add(client.readFrame(TIMEOUT));
				}
				assertThat(controls).allSatisfy((frame) -> assertThat(frame.opcode()).isEqualTo(PONG));
				assertThat(controls.stream().map(Frame::payload)).containsExactlyElementsOf(pings);
			}
		}
	}

	/**
	 * Autobahn 2.5, 3.7 (control part), 5.1-5.2, 7.3.6: a control frame with more than
	 * 125 bytes of payload, or fragmented, fails the connection with 1002.
	 */
	@ParameterizedTest
	@MethodSource("invalidControlFrames")
	void failsOversizedOrFragmentedControlFramesWith1002(boolean fin, int opcode, int length) throws IOException {
		RawWebSocketClient client = connect();
		byte[] payload = binary(length);
		if (opcode == CLOSE && length >= 2) {
			payload[0] = 0x03;
			payload[1] = (byte) 0xE8;
			Arrays.fill(payload, 2, length, (byte) 'a');
		}
		client.sendFrame(fin, opcode, payload);
		assertFailed(client, 1002);
	}

	static Stream<Arguments> invalidControlFrames() {
		return Stream.of(Arguments.of(true, PING, 126), Arguments.of(true, PONG, 126), Arguments.of(true, CLOSE, 126),
				Arguments.of(false, PING, 10), Arguments.of(false, PONG, 10), Arguments.of(false, CLOSE, 2));
	}

	/**
	 * Autobahn 6.3-6.22 (fail fast, 6.4): invalid UTF-8 in a single frame, in a later
	 * fragment, in a first fragment whose message never ends, or cut short at the end of
	 * a message, fails the connection with 1007; a character split between fragments is
	 * valid.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "c0af", "e080af", "eda080", "f4908080", "ff", "cebae1bdb9cf83cebcceb5eda080656469746564",
			"e282" })
	void failsInvalidUtf8With1007(String hex) throws IOException {
		byte[] invalid = hex(hex);
		RawWebSocketClient single = connect();
		single.sendFrame(true, TEXT, invalid);
		assertFailed(single, 1007);
		RawWebSocketClient later = connect();
		later.sendFrame(false, TEXT, utf8("valid start "));
		later.sendFrame(true, CONTINUATION, invalid);
		assertFailed(later, 1007);
		if (!hex.equals("e282")) {
			// An incomplete sequence may still be completed by the next fragment
			RawWebSocketClient failFast = connect();
			failFast.sendFrame(false, TEXT, concat(utf8("valid start "), invalid, utf8("more")));
			assertFailed(failFast, 1007);
		}
		RawWebSocketClient split = connect();
		byte[] euro = utf8("\u20ac");
		split.sendFrame(false, TEXT, new byte[] { euro[0] });
		split.sendFrame(false, CONTINUATION, new byte[] { euro[1] });
		split.sendFrame(true, CONTINUATION, new byte[] { euro[2] });
		assertMessage(split.readMessage(TIMEOUT), TEXT, euro);
	}

	/**
	 * Autobahn 3.*, 4.*, 5.9-5.20: reserved bits (RSV1-3) on any frame, reserved opcodes
	 * (3-7, 11-15), a continuation without a message to continue and a new message inside
	 * a fragmented one fail the connection with 1002.
	 */
	@ParameterizedTest
	@MethodSource("protocolErrors")
	void failsReservedBitsOpcodesAndBadFragmentationWith1002(String name, List<byte[]> frames) throws IOException {
		RawWebSocketClient client = connect();
		send(client, frames);
		assertFailed(client, 1002);
	}

	static Stream<Arguments> protocolErrors() {
		List<Arguments> cases = new ArrayList<>();
		for (int rsv = 1; rsv <= 7; rsv++) {
			for (int opcode : new int[] { TEXT, BINARY, PING, PONG, CLOSE }) {
				cases.add(Arguments.of("rsv " + rsv + " on opcode " + opcode, List
					.of(frame(true, rsv, opcode, (opcode == CLOSE) ? new byte[] { 0x03, (byte) 0xE8 } : utf8("rsv")))));
			}
			cases.add(Arguments.of("rsv " + rsv + " on a continuation",
					List.of(frame(false, 0, TEXT, utf8("a")), frame(true, rsv, CONTINUATION, utf8("b")))));
		}
		IntStream.concat(IntStream.rangeClosed(3, 7), IntStream.rangeClosed(11, 15))
			.forEach((opcode) -> cases
				.add(Arguments.of("reserved opcode " + opcode, List.of(frame(true, 0, opcode, new byte[0])))));
		IntStream.concat(IntStream.rangeClosed(3, 7), IntStream.rangeClosed(11, 15))
			.forEach((opcode) -> cases.add(Arguments.of("reserved opcode " + opcode + " with a payload",
					List.of(frame(true, 0, opcode, utf8("reserved"))))));
		cases.add(Arguments.of("final continuation without a start",
				List.of(frame(true, 0, CONTINUATION, utf8("orphan")))));
		cases.add(Arguments.of("continuation without a start",
				List.of(frame(false, 0, CONTINUATION, utf8("orphan")), frame(true, 0, CONTINUATION, utf8("s")))));
		cases.add(Arguments.of("text inside a fragmented text",
				List.of(frame(false, 0, TEXT, utf8("a")), frame(true, 0, TEXT, utf8("b")))));
		cases.add(Arguments.of("binary inside a fragmented text",
				List.of(frame(false, 0, TEXT, utf8("a")), frame(true, 0, BINARY, utf8("b")))));
		cases.add(Arguments.of("text inside a fragmented binary",
				List.of(frame(false, 0, BINARY, utf8("a")), frame(false, 0, TEXT, utf8("b")))));
		return cases.stream();
	}

	/**
	 * Autobahn 7.*: a close frame with a valid code (1000-1003, 1007-1011, 3000-4999) and
	 * a reason of up to 123 bytes is answered with the same code, then the server ends
	 * the connection; an empty close frame is answered with 1000; a message that a close
	 * frame interrupts is not delivered; invalid codes (0-999, 1004-1006, 1015,
	 * 1016-2999, 5000 and more), 1-byte payloads and reasons that are not UTF-8 fail the
	 * connection with 1002.
	 */
	@Test
	void answersValidCloseFramesAndFailsInvalidOnes() throws IOException {
		int[] valid = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 };
		for (int code : valid) {
			RawWebSocketClient client = connect();
			client.sendClose(code, "reason " + code);
			assertClosed(client, code);
		}
		RawWebSocketClient longReason = connect();
		longReason.sendClose(1000, "r".repeat(123));
		assertClosed(longReason, 1000);
		RawWebSocketClient empty = connect();
		empty.sendFrame(true, CLOSE, new byte[0]);
		assertClosed(empty, 1000);
		RawWebSocketClient interrupted = connect();
		interrupted.sendFrame(false, TEXT, utf8("never finished"));
		interrupted.sendClose(1000, "");
		assertClosed(interrupted, 1000);
		int[] invalid = { 0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535 };
		for (int code : invalid) {
			RawWebSocketClient client = connect();
			client.sendClose(code, "");
			assertFailed(client, 1002);
		}
		RawWebSocketClient oneByte = connect();
		oneByte.sendFrame(true, CLOSE, new byte[] { 0x03 });
		assertFailed(oneByte, 1002);
		// Autobahn accepts 1002 or 1007 here; Tomcat answers 1002
		RawWebSocketClient invalidReason = connect();
		invalidReason.sendClose(1000, hex("cebae1bdb9cf83cebcceb5eda080656469746564"));
		assertFailed(invalidReason, 1002);
	}

	/**
	 * Autobahn 3.2-3.4, 4.1.3-4.1.5, 4.2.3-4.2.5 and 7.1.1: a message sent just before a
	 * protocol error (or a close frame) is echoed before the close frame when the hub's
	 * writer thread gets it out first (strict), but may be missing (lenient): the
	 * container answers the error, or the close, on its read thread at once, and fails
	 * what the application queued after that. What is never allowed: anything but that
	 * echo before the close frame, or anything after it.
	 */
	@Test
	void messageBeforeAProtocolErrorOrCloseMayBeLostLeniently() throws IOException {
		List<List<byte[]>> cases = List.of(List.of(frame(true, 2, TEXT, utf8("rsv"))),
				List.of(frame(true, 0, 5, new byte[0])), List.of(frame(true, 0, 13, new byte[0])),
				List.of(frame(true, 0, CONTINUATION, utf8("orphan"))));
		for (List<byte[]> error : cases) {
			RawWebSocketClient client = connect();
			client.sendText("before the error");
			send(client, error);
			assertClosedAfterOptionalEcho(client, 1002, "before the error");
		}
		RawWebSocketClient closing = connect();
		closing.sendText("before the close");
		closing.sendClose(1000, "");
		assertClosedAfterOptionalEcho(closing, 1000, "before the close");
	}

	private RawWebSocketClient connect() throws IOException {
		RawWebSocketClient client = RawWebSocketClient.connect(this.port, TuttiShootoutConfiguration.ECHO_PATH);
		this.clients.add(client);
		assertThat(client.status()).isEqualTo(101);
		return client;
	}

	/**
	 * Send frames encoded by {@link #frame(boolean, int, int, byte[])} in one write, so
	 * that the server reads them all before it fails the connection.
	 */
	private static void send(RawWebSocketClient client, List<byte[]> frames) throws IOException {
		for (byte[] frame : frames) {
			client.bufferFrame((frame[0] & 0x80) != 0, (frame[0] >> 4) & 0x7, frame[0] & 0x0F,
					Arrays.copyOfRange(frame, 1, frame.length));
		}
		client.flush();
	}

	private static void assertMessage(Frame message, int opcode, byte[] payload) {
		assertThat(message.opcode()).as("opcode").isEqualTo(opcode);
		assertThat(message.payload().length).as("length").isEqualTo(payload.length);
		assertThat(message.payload()).isEqualTo(payload);
	}

	/**
	 * Assert that the server sends nothing but a close frame with the code, then ends the
	 * connection.
	 */
	private static void assertFailed(RawWebSocketClient client, int code) throws IOException {
		List<Frame> frames = client.readUntilEnd(TIMEOUT);
		assertThat(frames).singleElement().satisfies((frame) -> {
			assertThat(frame.opcode()).isEqualTo(CLOSE);
			assertThat(frame.closeCode()).isEqualTo(code);
		});
	}

	private static void assertClosed(RawWebSocketClient client, int code) throws IOException {
		assertFailed(client, code);
	}

	private static void assertClosedAfterOptionalEcho(RawWebSocketClient client, int code, String echo)
			throws IOException {
		List<Frame> frames = client.readUntilEnd(TIMEOUT);
		assertThat(frames).isNotEmpty();
		Frame close = frames.get(frames.size() - 1);
		assertThat(close.opcode()).isEqualTo(CLOSE);
		assertThat(close.closeCode()).isEqualTo(code);
		assertThat(frames.subList(0, frames.size() - 1)).allSatisfy((frame) -> {
			assertThat(frame.opcode()).isEqualTo(TEXT);
			assertThat(frame.text()).isEqualTo(echo);
		}).hasSizeLessThanOrEqualTo(1);
	}

	/**
	 * Return valid UTF-8 text of exactly the given number of bytes, with characters of
	 * one to four bytes.
	 */
	private static byte[] text(int size) {
		String pattern = "a\u00e9\u20ac\ud83d\ude00";
		int bytes = utf8(pattern).length;
		return utf8(pattern.repeat(size / bytes) + "x".repeat(size % bytes));
	}

	private byte[] binary(int size) {
		byte[] bytes = new byte[size];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/**
	 * Encode a frame to send as its first byte (FIN, RSV and opcode) and its payload.
	 */
	private static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
		byte[] frame = new byte[1 + payload.length];
		frame[0] = (byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode);
		System.arraycopy(payload, 0, frame, 1, payload.length);
		return frame;
	}

	private static byte[] hex(String hex) {
		byte[] bytes = new byte[hex.length() / 2];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
		}
		return bytes;
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] result = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, result, offset, part.length);
			offset += part.length;
		}
		return result;
	}

}
