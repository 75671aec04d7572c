package dev.tutti.spring.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads the frames a client sends (RFC 6455, no extensions) from the chunks the socket
 * delivers, whatever their boundaries, and reports messages in parts as they arrive, so
 * that it keeps no buffer of its own beyond the few bytes of a header or a character
 * split between chunks and the payload of a control frame split between chunks.
 * <p>
 * Checks what the protocol requires of a client and fails the connection on the first
 * violation: {@link ProtocolError} carries the close code, 1002 for a frame that breaks
 * the framing rules (reserved bits or opcodes, an unmasked frame, a fragmented or
 * oversized control frame, a continuation without a message or a message inside another,
 * an invalid close frame) and 1007 for text that is not UTF-8, found at the first invalid
 * byte. Not thread-safe: one connection's chunks are read serially.
 */
final class FrameReader {

	private static final int CONTINUATION = 0x0;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

	/** The longest header of a masked frame: 2 bytes, 8 of extended length, 4 of mask. */
	private static final int MAX_HEADER = 14;

	private static final int MAX_CONTROL_PAYLOAD = 125;

	/** Header bytes of a header that arrived split between chunks, else {@code null}. */
	private byte @Nullable [] header;

	private int headerLength;

	/** Whether the current frame's header is read and its payload is being read. */
	private boolean inPayload;

	private boolean fin;

	private int opCode;

	private long remaining;

	private int mask;

	/** Which byte of the mask the next payload byte is masked with. */
	private int maskIndex;

	/** The data message in progress ({@link #TEXT} or {@link #BINARY}), or 0. */
	private int message;

	/**
	 * The payload of the current control frame where it is split between chunks, or
	 * {@code null}: a payload wholly in one chunk is read where it is.
	 */
	private byte @Nullable [] control;

	private int controlLength;

	/** UTF-8 continuation bytes still expected, and the range the next one must be in. */
	private int utf8Needed;

	private int utf8Lower = 0x80;

	private int utf8Upper = 0xBF;

	/** The bytes of a character split between parts, at most 3, first byte lowest. */
	private int carry;

	private int carryLength;

	private boolean closed;

	/**
	 * Read a chunk, reporting each message part, control frame and close to the sink as
	 * soon as it is complete. Unmasks the chunk's bytes in place. After a close frame the
	 * rest is ignored.
	 * @param chunk the bytes read, from position to limit; a heap buffer, consumed
	 * @param sink where to report
	 * @throws ProtocolError if the client broke the protocol
	 */
	void read(ByteBuffer chunk, Sink sink) throws ProtocolError {
		byte[] bytes = chunk.array();
		int offset = chunk.arrayOffset();
		int position = chunk.position() + offset;
		int end = chunk.limit() + offset;
		while (!this.closed && (position < end || (this.inPayload && this.remaining == 0))) {
			if (!this.inPayload) {
				position = readHeader(bytes, position, end);
				if (!this.inPayload) {
					break;
				}
				continue;
			}
			int length = (int) Math.min(this.remaining, end - position);
			unmask(bytes, position, length);
			this.remaining -= length;
			if (this.opCode >= Frames.CLOSE) {
				byte[] control = this.control;
				if (control == null && this.remaining == 0) {
					this.inPayload = false;
					control(bytes, position, length, sink);
				}
				else {
					if (control == null) {
						control = new byte[length + (int) this.remaining];
						this.control = control;
					}
					System.arraycopy(bytes, position, control, this.controlLength, length);
					this.controlLength += length;
					if (this.remaining == 0) {
						this.inPayload = false;
						this.control = null;
						control(control, 0, control.length, sink);
					}
				}
			}
			else {
				boolean last = this.fin && this.remaining == 0;
				if (this.remaining == 0) {
					this.inPayload = false;
				}
				if (this.message == Frames.TEXT) {
					text(bytes, position, length, last, sink);
				}
				else if (length > 0 || last) {
					sink.binary(ByteBuffer.wrap(bytes, position, length).slice(), last);
				}
				if (last) {
					this.message = 0;
				}
			}
			position += length;
		}
		chunk.position(this.closed ? chunk.limit() : position - offset);
	}

	/**
	 * Read header bytes from {@code position}, and if the header is complete check it and
	 * start its payload.
	 * @return the position after the bytes taken
	 */
	private int readHeader(byte[] bytes, int position, int end) throws ProtocolError {
		byte[] kept = this.header;
		if (kept == null) {
			int length = Frames.maskedHeaderLength(bytes, position, end - position);
			if (length > 0 && end - position >= length) {
				return startFrame(bytes, position);
			}
			// The header is split between chunks: keep what there is of it
			kept = new byte[MAX_HEADER];
			this.header = kept;
			this.headerLength = 0;
		}
		while (position < end) {
			kept[this.headerLength++] = bytes[position++];
			int length = Frames.maskedHeaderLength(kept, 0, this.headerLength);
			if (length > 0 && this.headerLength == length) {
				this.header = null;
				startFrame(kept, 0);
				break;
			}
		}
		return position;
	}

	/**
	 * Check a complete header and start its frame.
	 * @return the position after the header
	 */
	private int startFrame(byte[] bytes, int position) throws ProtocolError {
		int first = bytes[position] & 0xFF;
		int second = bytes[position + 1] & 0xFF;
		int index = position + 2;
		boolean fin = (first & 0x80) != 0;
		int opCode = first & 0x0F;
		if ((first & 0x70) != 0) {
			throw new ProtocolError(1002, "Reserved bits set");
		}
		if ((second & 0x80) == 0) {
			throw new ProtocolError(1002, "Unmasked frame");
		}
		long length = second & 0x7F;
		if (length == 126) {
			length = ((bytes[index] & 0xFF) << 8) | (bytes[index + 1] & 0xFF);
			index += 2;
		}
		else if (length == 127) {
			length = (long) LONGS.get(bytes, index);
			index += 8;
			if (length < 0) {
				throw new ProtocolError(1002, "Frame length over 2^63");
			}
		}
		int mask = ((bytes[index] & 0xFF) << 24) | ((bytes[index + 1] & 0xFF) << 16) | ((bytes[index + 2] & 0xFF) << 8)
				| (bytes[index + 3] & 0xFF);
		index += 4;
		switch (opCode) {
			case Frames.CLOSE, Frames.PING, Frames.PONG -> {
				if (!fin) {
					throw new ProtocolError(1002, "Fragmented control frame");
				}
				if (length > MAX_CONTROL_PAYLOAD) {
					throw new ProtocolError(1002, "Control frame over 125 bytes");
				}
				this.control = null;
				this.controlLength = 0;
			}
			case Frames.TEXT, Frames.BINARY -> {
				if (this.message != 0) {
					throw new ProtocolError(1002, "New message before the last one ended");
				}
				this.message = opCode;
			}
			case CONTINUATION -> {
				if (this.message == 0) {
					throw new ProtocolError(1002, "Continuation frame without a message");
				}
			}
			default -> throw new ProtocolError(1002, "Reserved opcode " + opCode);
		}
		this.fin = fin;
		this.opCode = opCode;
		this.remaining = length;
		this.mask = mask;
		this.maskIndex = 0;
		this.inPayload = true;
		return index;
	}

	private void unmask(byte[] bytes, int position, int length) {
		int mask = this.mask;
		int index = this.maskIndex;
		int end = position + length;
		int i = position;
		while (i < end && index != 0) {
			bytes[i] ^= (byte) (mask >>> (24 - 8 * index));
			index = (index + 1) & 3;
			i++;
		}
		long wide = ((mask & 0xFFFFFFFFL) << 32) | (mask & 0xFFFFFFFFL);
		for (; i + 8 <= end; i += 8) {
			LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ wide);
		}
		for (; i < end; i++) {
			bytes[i] ^= (byte) (mask >>> (24 - 8 * index));
			index = (index + 1) & 3;
		}
		this.maskIndex = index;
	}

	/**
	 * Check a part of a text message and report the characters it completes.
	 */
	private void text(byte[] bytes, int position, int length, boolean last, Sink sink) throws ProtocolError {
		int complete = validate(bytes, position, length);
		if (last && this.utf8Needed != 0) {
			throw new ProtocolError(1007, "Invalid UTF-8");
		}
		String part;
		int carried = this.carryLength;
		if (carried == 0) {
			part = (complete > position || last)
					? new String(bytes, position, complete - position, StandardCharsets.UTF_8) : "";
		}
		else if (complete > position) {
			byte[] joined = new byte[carried + complete - position];
			for (int i = 0; i < carried; i++) {
				joined[i] = (byte) (this.carry >>> (8 * i));
			}
			System.arraycopy(bytes, position, joined, carried, complete - position);
			part = new String(joined, StandardCharsets.UTF_8);
			this.carry = 0;
			this.carryLength = 0;
		}
		else {
			part = "";
		}
		for (int i = complete; i < position + length; i++) {
			this.carry |= (bytes[i] & 0xFF) << (8 * this.carryLength++);
		}
		if (!part.isEmpty() || last) {
			sink.text(part, last);
		}
	}

	/**
	 * Check UTF-8, carrying on from earlier parts.
	 * @return the position after the last character that is complete
	 */
	private int validate(byte[] bytes, int position, int length) throws ProtocolError {
		int needed = this.utf8Needed;
		int lower = this.utf8Lower;
		int upper = this.utf8Upper;
		int end = position + length;
		int complete = (needed == 0) ? position : position - 1;
		for (int i = position; i < end; i++) {
			int b = bytes[i] & 0xFF;
			if (needed == 0) {
				if (b < 0x80) {
					continue;
				}
				if (b >= 0xC2 && b <= 0xDF) {
					needed = 1;
				}
				else if (b >= 0xE0 && b <= 0xEF) {
					needed = 2;
					lower = (b == 0xE0) ? 0xA0 : 0x80;
					upper = (b == 0xED) ? 0x9F : 0xBF;
				}
				else if (b >= 0xF0 && b <= 0xF4) {
					needed = 3;
					lower = (b == 0xF0) ? 0x90 : 0x80;
					upper = (b == 0xF4) ? 0x8F : 0xBF;
				}
				else {
					throw new ProtocolError(1007, "Invalid UTF-8");
				}
				complete = i;
			}
			else {
				if (b < lower || b > upper) {
					throw new ProtocolError(1007, "Invalid UTF-8");
				}
				lower = 0x80;
				upper = 0xBF;
				needed--;
			}
		}
		this.utf8Needed = needed;
		this.utf8Lower = lower;
		this.utf8Upper = upper;
		if (needed == 0) {
			return end;
		}
		return Math.max(complete, position);
	}

	/**
	 * Report a whole control frame whose unmasked payload is at {@code offset}.
	 */
	private void control(byte[] payload, int offset, int length, Sink sink) throws ProtocolError {
		switch (this.opCode) {
			case Frames.PING -> sink.ping(ByteBuffer.wrap(Arrays.copyOfRange(payload, offset, offset + length)));
			case Frames.PONG -> sink.pong(ByteBuffer.wrap(Arrays.copyOfRange(payload, offset, offset + length)));
			default -> {
				if (length == 1) {
					throw new ProtocolError(1002, "Close frame with a 1-byte payload");
				}
				int code = (length == 0) ? 1000 : (((payload[offset] & 0xFF) << 8) | (payload[offset + 1] & 0xFF));
				if (!Frames.isValidCloseCode(code)) {
					throw new ProtocolError(1002, "Invalid close code " + code);
				}
				String reason = "";
				if (length > 2) {
					// Nothing is read after a close frame: this reader's UTF-8 state,
					// reset,
					// checks the reason
					this.utf8Needed = 0;
					this.utf8Lower = 0x80;
					this.utf8Upper = 0xBF;
					try {
						validate(payload, offset + 2, length - 2);
					}
					catch (ProtocolError ex) {
						this.utf8Needed = -1;
					}
					if (this.utf8Needed != 0) {
						throw new ProtocolError(1002, "Close reason not UTF-8");
					}
					reason = new String(payload, offset + 2, length - 2, StandardCharsets.UTF_8);
				}
				this.closed = true;
				sink.closeFrame(code, reason);
			}
		}
	}

	/**
	 * Where a reader reports what it read, on the reading thread.
	 */
	interface Sink {

		/**
		 * Report the characters of a text message that a chunk completed.
		 * @param part the characters, possibly empty on the last part
		 * @param last whether this part completes the message
		 */
		void text(String part, boolean last) throws ProtocolError;

		/**
		 * Report a binary message part.
		 * @param part the bytes, valid only during this call
		 * @param last whether this part completes the message
		 */
		void binary(ByteBuffer part, boolean last) throws ProtocolError;

		void ping(ByteBuffer payload) throws ProtocolError;

		void pong(ByteBuffer payload) throws ProtocolError;

		/**
		 * Report a valid close frame; the reader ignores what follows.
		 * @param code the close code, 1000 for an empty close frame
		 * @param reason the reason, possibly empty
		 */
		void closeFrame(int code, String reason) throws ProtocolError;

	}

	/**
	 * A violation of the protocol by the client, with the close code that fails the
	 * connection.
	 */
	static final class ProtocolError extends Exception {

		private static final long serialVersionUID = 1L;

		private final int code;

		ProtocolError(int code, String reason) {
			super(reason, null, false, false);
			this.code = code;
		}

		int code() {
			return this.code;
		}

	}

}
