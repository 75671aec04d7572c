package dev.tutti.spring.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FrameReader}.
 */
class FrameReaderTests {

	private static final int CONTINUATION = 0x0;

	private static final int TEXT = 0x1;

	private static final int BINARY = 0x2;

	private static final int CLOSE = 0x8;

	private static final int PING = 0x9;

	private static final int PONG = 0xA;

	@Test
	void readsAWholeTextMessage() throws Exception {
		assertThat(read(frame(true, TEXT, utf8("hello")))).containsExactly("text hello last");
	}

	@Test
	void reportsTheSameMessagesWhereverTheChunksSplitTheFrames() throws Exception {
		String text = "héllo wörld ✓ 🎵 ".repeat(20);
		byte[] stream = concat(frame(false, TEXT, slice(utf8(text), 0, 37)), frame(true, PING, utf8("p")),
				frame(false, CONTINUATION, slice(utf8(text), 37, 200)),
				frame(true, CONTINUATION, slice(utf8(text), 200, utf8(text).length)),
				frame(true, BINARY, new byte[70_000]), frame(true, TEXT, new byte[0]), frame(true, PONG, utf8("q")),
				frame(true, CLOSE, closePayload(1001, "bye")));
		List<String> whole = joined(read(stream));
		assertThat(whole).containsExactly("ping p", "text " + text + " last", "binary 70000 last", "text  last",
				"pong q", "close 1001 bye");
		Random random = new Random(42);
		for (int trial = 0; trial < 200; trial++) {
			int maxChunk = (trial < 20) ? 1 + trial : 1 + random.nextInt(3000);
			assertThat(joined(read(stream, maxChunk, random))).as("chunks of up to %d bytes", maxChunk)
				.isEqualTo(whole);
		}
	}

	@Test
	void ignoresWhatFollowsACloseFrame() throws Exception {
		assertThat(read(concat(frame(true, CLOSE, new byte[0]), frame(true, TEXT, utf8("late")))))
			.containsExactly("close 1000 ");
	}

	@Test
	void failsInvalidUtf8WithoutWaitingForTheEndOfTheFrame() {
		FrameReader reader = new FrameReader();
		byte[] frame = frame(true, TEXT,
				concat(utf8("valid "), new byte[] { (byte) 0xC0, (byte) 0x80 }, new byte[100]));
		// Header, the valid text and the invalid bytes, but not the rest of the frame
		ByteBuffer chunk = ByteBuffer.wrap(frame, 0, frame.length - 50);
		assertThatExceptionOfType(FrameReader.ProtocolError.class).isThrownBy(() -> reader.read(chunk, new Events()))
			.satisfies((error) -> assertThat(error.code()).isEqualTo(1007));
	}

	@Test
	void failsTextThatIsNotUtf8() {
		String[] invalid = { "c080", "e08080", "eda080", "f4908080", "f8888080", "ff", "80", "cebae1bdb9cf83cebcceb5ed",
				"e1bd" };
		for (String hex : invalid) {
			assertThat(error(frame(true, TEXT, HexFormat.of().parseHex(hex)))).as(hex).isEqualTo(1007);
		}
		assertThat(error(concat(frame(false, TEXT, HexFormat.of().parseHex("e1")),
				frame(true, CONTINUATION, HexFormat.of().parseHex("bd")))))
			.isEqualTo(1007);
	}

	@Test
	void acceptsCharactersSplitBetweenFragments() throws Exception {
		byte[] utf8 = utf8("κόσμε 🎵");
		byte[] stream = new byte[0];
		for (int i = 0; i < utf8.length; i++) {
			stream = concat(stream,
					frame(i == utf8.length - 1, (i == 0) ? TEXT : CONTINUATION, new byte[] { utf8[i] }));
		}
		assertThat(joined(read(stream))).containsExactly("text κόσμε 🎵 last");
	}

	@Test
	void failsFramesThatBreakTheFramingRules() {
		assertThat(error(withFirstByte(frame(true, TEXT, utf8("x")), 0x80 | 0x40 | TEXT))).isEqualTo(1002);
		assertThat(error(unmasked(frame(true, TEXT, utf8("x"))))).isEqualTo(1002);
		for (int opCode : new int[] { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 }) {
			assertThat(error(frame(true, opCode, new byte[0]))).as("opcode %d", opCode).isEqualTo(1002);
		}
		assertThat(error(frame(false, PING, new byte[0]))).isEqualTo(1002);
		assertThat(error(frame(true, PING, new byte[126]))).isEqualTo(1002);
		assertThat(error(frame(true, CONTINUATION, utf8("x")))).isEqualTo(1002);
		assertThat(error(concat(frame(false, TEXT, utf8("a")), frame(true, BINARY, utf8("b"))))).isEqualTo(1002);
		byte[] huge = frame(true, BINARY, new byte[0]);
		byte[] tooLong = concat(new byte[] { huge[0], (byte) (0x80 | 127) },
				HexFormat.of().parseHex("8000000000000000"), new byte[4]);
		assertThat(error(tooLong)).isEqualTo(1002);
	}

	@Test
	void failsInvalidCloseFrames() throws Exception {
		for (int code : new int[] { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535 }) {
			assertThat(error(frame(true, CLOSE, closePayload(code, "")))).as("code %d", code).isEqualTo(1002);
		}
		assertThat(error(frame(true, CLOSE, new byte[] { 3 }))).isEqualTo(1002);
		assertThat(error(frame(true, CLOSE, concat(closePayload(1000, ""), HexFormat.of().parseHex("eda080")))))
			.isEqualTo(1002);
		for (int code : new int[] { 1000, 1003, 1007, 1011, 1014, 3000, 4999 }) {
			assertThat(read(frame(true, CLOSE, closePayload(code, "r")))).containsExactly("close " + code + " r");
		}
	}

	private static int error(byte[] stream) {
		try {
			read(stream);
		}
		catch (FrameReader.ProtocolError ex) {
			return ex.code();
		}
		return 0;
	}

	private static List<String> read(byte[] stream) throws FrameReader.ProtocolError {
		FrameReader reader = new FrameReader();
		Events events = new Events();
		ByteBuffer chunk = ByteBuffer.wrap(stream.clone());
		reader.read(chunk, events);
		assertThat(chunk.hasRemaining()).isFalse();
		return events.events;
	}

	/**
	 * Read a copy of the stream in chunks of random sizes up to {@code maxChunk}.
	 */
	private static List<String> read(byte[] stream, int maxChunk, Random random) throws FrameReader.ProtocolError {
		byte[] copy = stream.clone();
		FrameReader reader = new FrameReader();
		Events events = new Events();
		int position = 0;
		while (position < copy.length) {
			int length = Math.min(copy.length - position, 1 + random.nextInt(maxChunk));
			ByteBuffer chunk = ByteBuffer.wrap(copy, position, length);
			reader.read(chunk, events);
			assertThat(chunk.hasRemaining()).isFalse();
			position += length;
		}
		return events.events;
	}

	/**
	 * Join message parts into one event per message, as the hub does.
	 */
	private static List<String> joined(List<String> events) {
		List<String> joined = new ArrayList<>();
		StringBuilder text = new StringBuilder();
		int binary = 0;
		for (String event : events) {
			if (event.startsWith("text ")) {
				boolean last = event.endsWith(" last");
				text.append(event, 5, event.length() - (last ? 5 : 0));
				if (last) {
					joined.add("text " + text + " last");
					text.setLength(0);
				}
			}
			else if (event.startsWith("binary ")) {
				binary += Integer.parseInt(event.split(" ")[1]);
				if (event.endsWith(" last")) {
					joined.add("binary " + binary + " last");
					binary = 0;
				}
			}
			else {
				joined.add(event);
			}
		}
		return joined;
	}

	private static byte[] frame(boolean fin, int opCode, byte[] payload) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write((fin ? 0x80 : 0) | opCode);
		if (payload.length < 126) {
			out.write(0x80 | payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			out.write(0x80 | 126);
			out.write(payload.length >>> 8);
			out.write(payload.length);
		}
		else {
			out.write(0x80 | 127);
			out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
		}
		byte[] mask = { 0x12, 0x34, 0x56, 0x78 };
		out.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			out.write(payload[i] ^ mask[i % 4]);
		}
		return out.toByteArray();
	}

	private static byte[] withFirstByte(byte[] frame, int first) {
		frame[0] = (byte) first;
		return frame;
	}

	private static byte[] unmasked(byte[] frame) {
		frame[1] &= 0x7F;
		return frame;
	}

	private static byte[] closePayload(int code, String reason) {
		return concat(new byte[] { (byte) (code >>> 8), (byte) code }, utf8(reason));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] slice(byte[] bytes, int from, int to) {
		return java.util.Arrays.copyOfRange(bytes, from, to);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static final class Events implements FrameReader.Sink {

		final List<String> events = new ArrayList<>();

		@Override
		public void text(String part, boolean last) {
			this.events.add("text " + part + (last ? " last" : ""));
		}

		@Override
		public void binary(ByteBuffer part, boolean last) {
			this.events.add("binary " + part.remaining() + (last ? " last" : ""));
		}

		@Override
		public void ping(ByteBuffer payload) {
			this.events.add("ping " + StandardCharsets.UTF_8.decode(payload));
		}

		@Override
		public void pong(ByteBuffer payload) {
			this.events.add("pong " + StandardCharsets.UTF_8.decode(payload));
		}

		@Override
		public void closeFrame(int code, String reason) {
			this.events.add("close " + code + " " + reason);
		}

	}

}
