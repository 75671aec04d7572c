package dev.tutti;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reassembles the inbound messages of one session from the parts the transport reports,
 * up to the hub's maximum message size. A message that arrives in one part is passed on
 * as it is (text) or copied once (binary); nothing is buffered for it.
 * <p>
 * The parts of a fragmented message are kept in blocks that are filled in turn and never
 * copied to grow: small parts are copied into a block of {@value #BLOCK_SIZE} bytes (or
 * chars), a part at least that large becomes a block of its own (a text part is kept as
 * it is). A message in progress thus holds at most its size plus one block, and
 * completing it copies every block once into the message itself.
 * <p>
 * A message in progress knows when it started, so that the heartbeat can give up on a
 * client that sends its fragments too slowly; {@link #discard()} releases the parts.
 * <p>
 * Thread-safe: the transport reports one connection's parts serially, and the heartbeat
 * may discard them at any time.
 */
final class MessageAssembler {

	/** Size of a block, in bytes for binary messages and in chars for text. */
	static final int BLOCK_SIZE = 8 * 1024;

	private final int maxMessageSize;

	/** Completed text blocks of the message in progress. */
	private @Nullable List<String> textBlocks;

	/** The text block being filled. */
	private @Nullable StringBuilder textBlock;

	/** Whether the last char of the text in progress is a high surrogate. */
	private boolean endsWithHighSurrogate;

	/** Full binary blocks of the message in progress. */
	private @Nullable List<byte[]> binaryBlocks;

	/** The binary block being filled. */
	private byte @Nullable [] binaryBlock;

	private int binaryBlockUsed;

	/** Bytes of the message in progress so far (UTF-8 for text). */
	private int size;

	/** The size of the last whole message, in bytes (UTF-8 for text). */
	private int lastSize;

	private boolean discarded;

	private volatile boolean assembling;

	/** The {@link System#nanoTime()} when the message in progress started. */
	private volatile long startedAt;

	MessageAssembler(int maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Check a text message that arrived in one part, with no message in progress: such a
	 * message needs no assembler.
	 * @param sessionId the session's id, for the exception
	 * @param message the message
	 * @param maxMessageSize the hub's maximum message size
	 * @return the message's size in bytes of UTF-8
	 * @throws MessageTooBigException if the message exceeds the maximum size
	 */
	static int wholeTextSize(String sessionId, String message, int maxMessageSize) {
		int size = Utf8.length(message, maxMessageSize);
		if (size > maxMessageSize) {
			throw new MessageTooBigException(sessionId, maxMessageSize);
		}
		return size;
	}

	/**
	 * Copy a binary message that arrived in one part, with no message in progress: such a
	 * message needs no assembler.
	 * @param sessionId the session's id, for the exception
	 * @param message the message; consumed
	 * @param maxMessageSize the hub's maximum message size
	 * @return a copy of the message
	 * @throws MessageTooBigException if the message exceeds the maximum size
	 */
	static byte[] wholeBinary(String sessionId, ByteBuffer message, int maxMessageSize) {
		if (message.remaining() > maxMessageSize) {
			throw new MessageTooBigException(sessionId, maxMessageSize);
		}
		byte[] bytes = new byte[message.remaining()];
		message.get(bytes);
		return bytes;
	}

	/**
	 * Add a part of a text message.
	 * @return the whole message once its last part arrived, otherwise {@code null} (also
	 * after {@link #discard()})
	 * @throws MessageTooBigException if the message exceeds the maximum size
	 */
	synchronized @Nullable String text(String sessionId, String part, boolean last) {
		if (this.discarded) {
			return null;
		}
		// A surrogate pair split between parts takes 4 bytes, not 3 for each half
		int splitPair = (this.endsWithHighSurrogate && !part.isEmpty() && Character.isLowSurrogate(part.charAt(0))) ? 2
				: 0;
		int size = this.size + Utf8.length(part, this.maxMessageSize - this.size + splitPair) - splitPair;
		if (size > this.maxMessageSize) {
			throw tooBig(sessionId);
		}
		if (last) {
			String message = (this.assembling) ? joinText(part) : part;
			reset();
			this.lastSize = size;
			return message;
		}
		start();
		appendText(part);
		this.endsWithHighSurrogate = !part.isEmpty() && Character.isHighSurrogate(part.charAt(part.length() - 1));
		this.size = size;
		return null;
	}

	/**
	 * Add a part of a binary message.
	 * @return the whole message once its last part arrived, otherwise {@code null} (also
	 * after {@link #discard()})
	 * @throws MessageTooBigException if the message exceeds the maximum size
	 */
	synchronized byte @Nullable [] binary(String sessionId, ByteBuffer part, boolean last) {
		if (this.discarded) {
			return null;
		}
		int length = part.remaining();
		if ((long) this.size + length > this.maxMessageSize) {
			throw tooBig(sessionId);
		}
		if (last) {
			byte[] message = new byte[this.size + length];
			int position = copyBinaryBlocks(message);
			part.get(message, position, length);
			reset();
			this.lastSize = message.length;
			return message;
		}
		start();
		appendBinary(part);
		this.size += length;
		return null;
	}

	/**
	 * Return the size of the last whole message, in bytes (UTF-8 for text).
	 */
	synchronized int lastSize() {
		return this.lastSize;
	}

	int maxMessageSize() {
		return this.maxMessageSize;
	}

	/**
	 * Whether a fragmented message has been in progress for longer than the given time.
	 * @param now a {@link System#nanoTime()}
	 * @param timeoutNanos the message assembly timeout
	 */
	boolean timedOut(long now, long timeoutNanos) {
		return this.assembling && now - this.startedAt > timeoutNanos;
	}

	/**
	 * Release the parts of the message in progress and ignore every later part.
	 */
	synchronized void discard() {
		this.discarded = true;
		reset();
	}

	private void start() {
		if (!this.assembling) {
			this.startedAt = System.nanoTime();
			this.assembling = true;
		}
	}

	private void appendText(String part) {
		StringBuilder block = this.textBlock;
		if (block != null && block.length() + part.length() > BLOCK_SIZE) {
			textBlocks().add(block.toString());
			block.setLength(0);
		}
		if (part.length() >= BLOCK_SIZE) {
			// Strings are immutable: keep a large part as it is
			textBlocks().add(part);
			return;
		}
		if (block == null) {
			block = new StringBuilder(Math.min(BLOCK_SIZE, this.maxMessageSize));
			this.textBlock = block;
		}
		block.append(part);
	}

	private List<String> textBlocks() {
		List<String> blocks = this.textBlocks;
		if (blocks == null) {
			blocks = new ArrayList<>();
			this.textBlocks = blocks;
		}
		return blocks;
	}

	/**
	 * Join the blocks and the last part into the message, allocating it once at its exact
	 * size.
	 */
	private String joinText(String last) {
		List<String> blocks = textBlocks();
		StringBuilder block = this.textBlock;
		if (block != null && block.length() > 0) {
			blocks.add(block.toString());
		}
		blocks.add(last);
		return String.join("", blocks);
	}

	private void appendBinary(ByteBuffer part) {
		int stored = this.size;
		while (part.hasRemaining()) {
			byte[] block = this.binaryBlock;
			if (block == null || this.binaryBlockUsed == block.length) {
				if (block != null) {
					binaryBlocks().add(block);
				}
				// The size check guarantees room for the rest of the part
				int remaining = part.remaining();
				block = new byte[(remaining >= BLOCK_SIZE) ? remaining
						: Math.min(BLOCK_SIZE, this.maxMessageSize - stored)];
				this.binaryBlock = block;
				this.binaryBlockUsed = 0;
			}
			int count = Math.min(part.remaining(), block.length - this.binaryBlockUsed);
			part.get(block, this.binaryBlockUsed, count);
			this.binaryBlockUsed += count;
			stored += count;
		}
	}

	private List<byte[]> binaryBlocks() {
		List<byte[]> blocks = this.binaryBlocks;
		if (blocks == null) {
			blocks = new ArrayList<>();
			this.binaryBlocks = blocks;
		}
		return blocks;
	}

	/**
	 * Copy the blocks of the binary message in progress to the start of the message.
	 * @return the number of bytes copied
	 */
	private int copyBinaryBlocks(byte[] message) {
		int position = 0;
		List<byte[]> blocks = this.binaryBlocks;
		if (blocks != null) {
			for (byte[] block : blocks) {
				System.arraycopy(block, 0, message, position, block.length);
				position += block.length;
			}
		}
		byte[] block = this.binaryBlock;
		if (block != null) {
			System.arraycopy(block, 0, message, position, this.binaryBlockUsed);
			position += this.binaryBlockUsed;
		}
		return position;
	}

	private MessageTooBigException tooBig(String sessionId) {
		reset();
		return new MessageTooBigException(sessionId, this.maxMessageSize);
	}

	private void reset() {
		this.assembling = false;
		this.textBlocks = null;
		this.textBlock = null;
		this.endsWithHighSurrogate = false;
		this.binaryBlocks = null;
		this.binaryBlock = null;
		this.binaryBlockUsed = 0;
		this.size = 0;
	}

}
