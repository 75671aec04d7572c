package dev.tutti.spring.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Frames}.
 */
class FramesTests {

	@Test
	void headersUseTheShortestLengthEncoding() {
		assertThat(bytes(Frames.header(Frames.TEXT, 0))).containsExactly(0x81, 0);
		assertThat(bytes(Frames.header(Frames.BINARY, 125))).containsExactly(0x82, 125);
		assertThat(bytes(Frames.header(Frames.TEXT, 126))).containsExactly(0x81, 126, 0, 126);
		assertThat(bytes(Frames.header(Frames.TEXT, 0xFFFF))).containsExactly(0x81, 126, 0xFF, 0xFF);
		assertThat(bytes(Frames.header(Frames.BINARY, 0x10000))).containsExactly(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0);
		assertThat(bytes(Frames.header(Frames.PING, 0))).containsExactly(0x89, 0);
	}

	@Test
	void closeFramesCarryTheCodeAndTheReasonCutAtACharacterBoundary() {
		assertThat(bytes(ByteBuffer.wrap(Frames.close(1001, "bye")))).containsExactly(0x88, 5, 0x03, 0xE9, 'b', 'y',
				'e');
		byte[] cut = Frames.close(1000, "xx" + "é".repeat(100));
		assertThat(cut).hasSize(2 + 2 + 122);
		String reason = new String(cut, 4, cut.length - 4, StandardCharsets.UTF_8);
		assertThat(reason).isEqualTo("xx" + "é".repeat(60));
	}

	@Test
	void aCloseFrameWithoutReasonCarriesTheCode() {
		assertThat(Frames.close(1000, "")).containsExactly(0x88, 2, 0x03, 0xE8);
		assertThat(Frames.close(1015 - 4, "")).containsExactly(0x88, 2, 0x03, 0xF3);
		assertThat(Frames.close(4000, "")).containsExactly(0x88, 2, 0x0F, 0xA0);
	}

	@Test
	void aCloseFrameWithoutStatusHasNoPayload() {
		assertThat(Frames.close(1005, "ignored")).containsExactly(0x88, 0);
	}

	private static int[] bytes(ByteBuffer buffer) {
		int[] bytes = new int[buffer.remaining()];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = buffer.get() & 0xFF;
		}
		return bytes;
	}

}
