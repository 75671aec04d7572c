package dev.tutti;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reassembles the inbound messages of one session from the parts the transport reports,
 * up to the hub's maximum message size. A buffer exists only while a message is in
 * progress, and grows with it.
 * <p>
 * Not thread-safe: the transport reports one connection's frames serially.
 */
final class MessageAssembler {

	private final int maxMessageSize;

	private @Nullable StringBuilder textParts;

	private byte @Nullable [] binaryParts;

	private int size;

	/** The size of the last whole message, in bytes (UTF-8 for text). */
	private int lastSize;

	MessageAssembler(int maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Add a part of a text message.
	 * @return the whole message once its last part arrived, otherwise {@code null}
	 * @throws MessageTooBigException if the message exceeds the maximum size
	 */
	@Nullable String text(String sessionId, String part, boolean last) {
		StringBuilder parts = this.textParts;
		// A surrogate pair split between parts takes 4 bytes, not 3 for each half
		int splitPair = (parts != null && parts.length() > 0
				&& Character.isHighSurrogate(parts.charAt(parts.length() - 1)) && !part.isEmpty()
				&& Character.isLowSurrogate(part.charAt(0))) ? 2 : 0;
		int size = this.size + Utf8.length(part, this.maxMessageSize - this.size + splitPair) - splitPair;
		if (size > this.maxMessageSize) {
			throw tooBig(sessionId);
		}
		if (last) {
			String message = (parts != null) ? parts.append(part).toString() : part;
			reset();
			this.lastSize = size;
			return message;
		}
		if (parts == null) {
			parts = new StringBuilder(Math.max(16, part.length() * 2));
			this.textParts = parts;
		}
		parts.append(part);
		this.size = size;
		return null;
	}

	/**
	 * Add a part of a binary message.
	 * @return the whole message once its last part arrived, otherwise {@code null}
	 * @throws MessageTooBigException if the message exceeds the maximum size
	 */
	byte @Nullable [] binary(String sessionId, ByteBuffer part, boolean last) {
		int length = part.remaining();
		if ((long) this.size + length > this.maxMessageSize) {
			throw tooBig(sessionId);
		}
		byte[] parts = this.binaryParts;
		if (parts == null) {
			parts = new byte[last ? length : Math.min(this.maxMessageSize, Math.max(256, length * 2))];
		}
		else if (parts.length < this.size + length) {
			parts = Arrays.copyOf(parts, Math.min(this.maxMessageSize, Math.max(parts.length * 2, this.size + length)));
		}
		part.get(parts, this.size, length);
		int size = this.size + length;
		if (last) {
			byte[] message = (parts.length == size) ? parts : Arrays.copyOf(parts, size);
			reset();
			this.lastSize = size;
			return message;
		}
		this.binaryParts = parts;
		this.size = size;
		return null;
	}

	/**
	 * Return the size of the last whole message, in bytes (UTF-8 for text).
	 */
	int lastSize() {
		return this.lastSize;
	}

	int maxMessageSize() {
		return this.maxMessageSize;
	}

	private MessageTooBigException tooBig(String sessionId) {
		reset();
		return new MessageTooBigException(sessionId, this.maxMessageSize);
	}

	private void reset() {
		this.textParts = null;
		this.binaryParts = null;
		this.size = 0;
	}

}
