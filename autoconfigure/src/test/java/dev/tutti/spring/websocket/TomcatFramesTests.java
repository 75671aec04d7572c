package dev.tutti.spring.websocket;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TomcatFrames}.
 */
class TomcatFramesTests {

	@Test
	void isAvailableOnTomcat() {
		assertThat(TomcatFrames.get()).isNotNull();
	}

	@Test
	void headersUseTheShortestLengthEncoding() {
		assertThat(bytes(Frames.header(Frames.TEXT, 0))).containsExactly(0x81, 0);
		assertThat(bytes(Frames.header(Frames.BINARY, 125))).containsExactly(0x82, 125);
		assertThat(bytes(Frames.header(Frames.TEXT, 126))).containsExactly(0x81, 126, 0, 126);
		assertThat(bytes(Frames.header(Frames.TEXT, 0xFFFF))).containsExactly(0x81, 126, 0xFF, 0xFF);
		assertThat(bytes(Frames.header(Frames.BINARY, 0x10000))).containsExactly(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0);
		assertThat(bytes(Frames.header(Frames.PING, 0))).containsExactly(0x89, 0);
	}

	private static int[] bytes(ByteBuffer buffer) {
		int[] bytes = new int[buffer.remaining()];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = buffer.get() & 0xFF;
		}
		return bytes;
	}

}
