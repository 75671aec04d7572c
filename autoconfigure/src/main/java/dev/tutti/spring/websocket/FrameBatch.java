package dev.tutti.spring.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;

/**
 * The frames a batching connection keeps between the hub's sends and its flush: each
 * frame's header, made here, and its payload, which for a broadcast is the hub's one copy
 * of the message. Used by one writer thread at a time.
 */
final class FrameBatch {

	private @Nullable List<ByteBuffer> buffers;

	private long bytes;

	/**
	 * Keep a data or control frame.
	 * @param opCode the frame's opcode
	 * @param payload its payload, kept as it is
	 */
	void add(int opCode, ByteBuffer payload) {
		List<ByteBuffer> buffers = this.buffers;
		if (buffers == null) {
			buffers = new ArrayList<>();
			this.buffers = buffers;
		}
		int length = payload.remaining();
		buffers.add(Frames.header(opCode, length));
		if (length > 0) {
			buffers.add(payload);
		}
		this.bytes += length;
	}

	/**
	 * Return whether the kept frames are enough for a write of their own.
	 */
	boolean isFull() {
		return this.bytes >= Frames.WRITE_CHUNK;
	}

	/**
	 * Take the kept frames, leaving the batch empty.
	 * @return the frames' buffers in order, or {@code null} if none are kept
	 */
	@Nullable List<ByteBuffer> take() {
		List<ByteBuffer> buffers = this.buffers;
		this.buffers = null;
		this.bytes = 0;
		return buffers;
	}

	/**
	 * Run a send and report its outcome to its callback.
	 * @param callback the callback, completed with what the send threw, if anything
	 * @param send the send
	 */
	static void complete(SendCallback callback, Send send) {
		Throwable failure = null;
		try {
			send.run();
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
		}
		callback.completed(failure);
	}

	/**
	 * A send that may fail with an I/O error.
	 */
	@FunctionalInterface
	interface Send {

		void run() throws IOException;

	}

}
