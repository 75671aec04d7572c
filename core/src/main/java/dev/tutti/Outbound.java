package dev.tutti;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * An immutable outbound message. A broadcast creates one and offers the same instance to
 * every recipient; a binary payload is wrapped in a fresh {@link ByteBuffer} per send, so
 * no buffer position is shared between sessions.
 */
final class Outbound {

	private final @Nullable String text;

	private final byte @Nullable [] binary;

	/** Write timeout for this message in nanoseconds, or 0 for the hub's. */
	final long timeoutNanos;

	/** Completed when the message is written, for tracked writes; otherwise null. */
	final @Nullable CompletableFuture<Void> future;

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

	ByteBuffer newBuffer() {
		return ByteBuffer.wrap(bytes()).asReadOnlyBuffer();
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
