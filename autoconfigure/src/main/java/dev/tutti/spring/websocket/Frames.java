package dev.tutti.spring.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's side of the WebSocket framing (RFC 6455) that Tutti writes itself: frame
 * headers, close frames, and gathering writes of whole frames in calls of bounded size.
 */
final class Frames {

	/** The opcode of a text frame. */
	static final int TEXT = 0x1;

	/** The opcode of a binary frame. */
	static final int BINARY = 0x2;

	/** The opcode of a close frame. */
	static final int CLOSE = 0x8;

	/** The opcode of a ping frame. */
	static final int PING = 0x9;

	/** The opcode of a pong frame. */
	static final int PONG = 0xA;

	/**
	 * The most bytes one gathering write takes: the JDK copies heap buffers into a
	 * temporary direct buffer of the write's size, cached per thread, so a bound on the
	 * write bounds that memory whatever the size of a message.
	 */
	static final int WRITE_CHUNK = 256 * 1024;

	/** The most bytes of UTF-8 a close reason may have. */
	private static final int MAX_CLOSE_REASON = 123;

	private static final byte[] NO_BYTES = new byte[0];

	/**
	 * The close frames without a reason for the codes 1000 to 1015, shared: they are only
	 * ever read.
	 */
	private static final byte[][] CLOSE_WITHOUT_REASON = new byte[16][];

	static {
		for (int i = 0; i < CLOSE_WITHOUT_REASON.length; i++) {
			int code = 1000 + i;
			CLOSE_WITHOUT_REASON[i] = new byte[] { (byte) (0x80 | CLOSE), 2, (byte) (code >> 8), (byte) code };
		}
	}

	private Frames() {
	}

	/**
	 * Return the length of a client's (masked) frame header starting at {@code position},
	 * or 0 if fewer than its first two bytes are available.
	 * @param bytes the bytes read
	 * @param position where the header starts
	 * @param available how many bytes of it there are
	 * @return the header's length with its mask, or 0
	 */
	static int maskedHeaderLength(byte[] bytes, int position, int available) {
		if (available < 2) {
			return 0;
		}
		int length = bytes[position + 1] & 0x7F;
		return 2 + ((length == 126) ? 2 : (length == 127) ? 8 : 0) + 4;
	}

	/**
	 * Return whether a peer may send this close code: 1000-1003, 1007-1014 and 3000-4999.
	 * @param code the code
	 * @return whether it is valid in a close frame
	 */
	static boolean isValidCloseCode(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
	}

	/**
	 * Return the header of an unmasked, final frame.
	 * @param opCode the frame's opcode
	 * @param length the payload length
	 * @return a buffer ready to be written
	 */
	static ByteBuffer header(int opCode, int length) {
		ByteBuffer header;
		if (length < 126) {
			header = ByteBuffer.allocate(2);
			header.put((byte) (0x80 | opCode)).put((byte) length);
		}
		else if (length <= 0xFFFF) {
			header = ByteBuffer.allocate(4);
			header.put((byte) (0x80 | opCode)).put((byte) 126).putShort((short) length);
		}
		else {
			header = ByteBuffer.allocate(10);
			header.put((byte) (0x80 | opCode)).put((byte) 127).putLong(length);
		}
		return header.flip();
	}

	/**
	 * Return a whole control frame (header and payload) in one buffer.
	 * @param opCode the frame's opcode
	 * @param payload the payload, at most 125 bytes; not consumed
	 * @return a buffer ready to be written
	 */
	static ByteBuffer control(int opCode, ByteBuffer payload) {
		int length = payload.remaining();
		ByteBuffer frame = ByteBuffer.allocate(2 + length);
		frame.put((byte) (0x80 | opCode)).put((byte) length).put(payload.duplicate());
		return frame.flip();
	}

	/**
	 * Return a whole close frame.
	 * @param code the close code; 1005 (no status) makes a close frame without payload
	 * @param reason the reason, cut to 123 bytes of UTF-8 at a character boundary
	 * @return the frame's bytes, which the caller must not change: a frame without a
	 * reason may be shared
	 */
	static byte[] close(int code, String reason) {
		if (code == 1005) {
			return new byte[] { (byte) (0x80 | CLOSE), 0 };
		}
		if (reason.isEmpty() && code >= 1000 && code < 1000 + CLOSE_WITHOUT_REASON.length) {
			return CLOSE_WITHOUT_REASON[code - 1000];
		}
		byte[] utf8 = reason.isEmpty() ? NO_BYTES : reason.getBytes(StandardCharsets.UTF_8);
		int length = utf8.length;
		if (length > MAX_CLOSE_REASON) {
			length = MAX_CLOSE_REASON;
			while (length > 0 && (utf8[length] & 0xC0) == 0x80) {
				length--;
			}
		}
		byte[] frame = new byte[4 + length];
		frame[0] = (byte) (0x80 | CLOSE);
		frame[1] = (byte) (2 + length);
		frame[2] = (byte) (code >> 8);
		frame[3] = (byte) code;
		System.arraycopy(utf8, 0, frame, 4, length);
		return frame;
	}

	/**
	 * Write buffers in order, in gathering writes of at most {@value #WRITE_CHUNK} bytes
	 * each, slicing a buffer larger than that.
	 * @param buffers the buffers; consumed
	 * @param writer writes one chunk, wholly
	 * @throws IOException if a write failed
	 */
	static void writeInChunks(List<ByteBuffer> buffers, ChunkWriter writer) throws IOException {
		if (buffers.size() == 1 && buffers.get(0).hasRemaining() && buffers.get(0).remaining() <= WRITE_CHUNK) {
			// A control frame: the buffer itself, without a chunk list
			writer.write(new ByteBuffer[] { buffers.get(0) });
			return;
		}
		List<ByteBuffer> chunk = new ArrayList<>(Math.min(buffers.size(), 64));
		int chunkBytes = 0;
		for (ByteBuffer buffer : buffers) {
			int position = buffer.position();
			int end = buffer.limit();
			while (position < end) {
				int length = Math.min(end - position, WRITE_CHUNK - chunkBytes);
				boolean whole = position == buffer.position() && length == end - position;
				chunk.add(whole ? buffer : buffer.slice(position, length));
				position += length;
				chunkBytes += length;
				if (chunkBytes == WRITE_CHUNK) {
					writer.write(chunk.toArray(new ByteBuffer[0]));
					chunk.clear();
					chunkBytes = 0;
				}
			}
		}
		if (!chunk.isEmpty()) {
			writer.write(chunk.toArray(new ByteBuffer[0]));
		}
	}

	/**
	 * Writes one chunk of buffers wholly, blocking until it is written.
	 */
	@FunctionalInterface
	interface ChunkWriter {

		void write(ByteBuffer[] chunk) throws IOException;

	}

}
