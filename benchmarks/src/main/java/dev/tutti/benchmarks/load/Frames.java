package dev.tutti.benchmarks.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Encodes the masked frames a WebSocket client sends.
 */
final class Frames {

	private Frames() {
	}

	static ByteBuffer text(byte[] payload, Random random) {
		return frame(0x1, payload, random);
	}

	static ByteBuffer pong(byte[] payload, Random random) {
		return frame(0xA, payload, random);
	}

	static ByteBuffer close(int code, Random random) {
		byte[] reason = "bye".getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + reason.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(reason, 0, payload, 2, reason.length);
		return frame(0x8, payload, random);
	}

	private static ByteBuffer frame(int opcode, byte[] payload, Random random) {
		int length = payload.length;
		int header = 2 + ((length < 126) ? 0 : (length < 65536) ? 2 : 8) + 4;
		ByteBuffer frame = ByteBuffer.allocate(header + length);
		frame.put((byte) (0x80 | opcode));
		if (length < 126) {
			frame.put((byte) (0x80 | length));
		}
		else if (length < 65536) {
			frame.put((byte) (0x80 | 126));
			frame.putShort((short) length);
		}
		else {
			frame.put((byte) (0x80 | 127));
			frame.putLong(length);
		}
		int mask = random.nextInt();
		frame.putInt(mask);
		for (int i = 0; i < length; i++) {
			frame.put((byte) (payload[i] ^ (mask >>> (24 - 8 * (i & 3)))));
		}
		return frame.flip();
	}

}
