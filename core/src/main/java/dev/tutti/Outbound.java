package dev.tutti;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.tutti.transport.Connection;
import org.jspecify.annotations.Nullable;

/**
 * An immutable outbound message. A broadcast creates one and offers the same instance to
 * every recipient; a binary payload, and a text's UTF-8 encoding, is wrapped in a fresh
 * read-only {@link ByteBuffer} per send, so no buffer position is shared between sessions
 * and no recipient copies the payload. A text is encoded to UTF-8 at most once, on the
 * first send to a connection that {@link Connection#sendsEncodedText() takes encoded
 * text}, and the bytes are shared by every later recipient.
 */
final class Outbound {

	private final @Nullable String text;

	private final byte @Nullable [] binary;

	/** Write timeout for this message in nanoseconds, or 0 for the hub's. */
	final long timeoutNanos;

	/** Completed when the message is written, for tracked writes; otherwise null. */
	final @Nullable CompletableFuture<Void> future;

	/** When the message was made, for the send latency meter. */
	final long createdNanos = System.nanoTime();

	/** The UTF-8 length of a text, counted once for every recipient; -1 until then. */
	private int byteLength = -1;

	/** The UTF-8 encoding of a text, made on first use; a race only encodes twice. */
	private byte @Nullable [] utf8;

	private Outbound(@Nullable String text, byte @Nullable [] binary, long timeoutNanos,
			@Nullable CompletableFuture<Void> future) {
		this.text = text;
		this.binary = binary;
		this.timeoutNanos = timeoutNanos;
		this.future = future;
	}

	static Outbound text(String text, long timeoutNanos, @Nullable CompletableFuture<Void> future) {
		return new Outbound(text, null, timeoutNanos, future);
	}

	static Outbound binary(byte[] data, long timeoutNanos, @Nullable CompletableFuture<Void> future) {
		return new Outbound(null, data.clone(), timeoutNanos, future);
	}

	boolean isBinary() {
		return this.binary != null;
	}

	String text() {
		if (this.text == null) {
			throw new IllegalStateException("Binary message has no text");
		}
		return this.text;
	}

	byte[] bytes() {
		if (this.binary == null) {
			throw new IllegalStateException("Text message has no bytes");
		}
		return this.binary;
	}

	/**
	 * Return the size of the payload in bytes (UTF-8 for text). Counted on the first
	 * call; a race only counts twice.
	 */
	int byteLength() {
		int length = this.byteLength;
		if (length < 0) {
			length = (this.binary != null) ? this.binary.length : Utf8.length(text(), Integer.MAX_VALUE);
			this.byteLength = length;
		}
		return length;
	}

	ByteBuffer newBuffer() {
		return ByteBuffer.wrap(bytes()).asReadOnlyBuffer();
	}

	/**
	 * Return a fresh read-only buffer over the text's UTF-8 encoding, encoding the text
	 * on the first call.
	 */
	ByteBuffer newUtf8Buffer() {
		byte[] utf8 = this.utf8;
		if (utf8 == null) {
			utf8 = text().getBytes(StandardCharsets.UTF_8);
			this.utf8 = utf8;
			this.byteLength = utf8.length;
		}
		return ByteBuffer.wrap(utf8).asReadOnlyBuffer();
	}

	void succeed() {
		if (this.future != null) {
			this.future.complete(null);
		}
	}

	void fail(Throwable failure) {
		if (this.future != null) {
			this.future.completeExceptionally(failure);
		}
	}

}
