package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.net.SocketWrapperBase.BlockingMode;
import org.jspecify.annotations.Nullable;

/**
 * Writes whole frames to one connection's Tomcat socket for {@link TuttiUpgradeHandler}:
 * blocking gathering writes of at most {@value Frames#WRITE_CHUNK} bytes each, one caller
 * at a time, each waiting at most the write timeout for the one before and for each
 * chunk. Nothing is written after the close frame or after a write failed (it may have
 * ended inside a frame). Allocates nothing per write beyond Tomcat's own operation state:
 * it is its own chunk writer and completion handler, and the lock that orders the writes
 * (one object less per connection). Thread-safe.
 */
@SuppressWarnings("serial")
final class SocketFrameWriter extends ReentrantLock implements Frames.ChunkWriter, CompletionHandler<Long, Void> {

	private final SocketWrapperBase<?> socket;

	private final long timeoutMillis;

	/** Whether the close frame was written. Guarded by this lock. */
	private boolean closeWritten;

	private volatile boolean failed;

	/** The outcome of the chunk being written. Guarded by this lock. */
	private volatile @Nullable Throwable chunkFailure;

	private volatile boolean chunkCompleted;

	SocketFrameWriter(SocketWrapperBase<?> socket, long timeoutMillis) {
		this.socket = socket;
		this.timeoutMillis = timeoutMillis;
	}

	/**
	 * Write whole frames.
	 * @param buffers the frames' buffers, in order; consumed
	 * @throws IOException if the connection is closed, a write failed before, the lock or
	 * a chunk took longer than the write timeout, or this write failed
	 */
	void write(List<ByteBuffer> buffers) throws IOException {
		write(buffers, null);
	}

	/**
	 * Write the close frame, the last frame of the connection, in one blocking write of
	 * its bytes.
	 * @param frame the whole close frame
	 * @throws IOException as {@link #write(List)} does
	 */
	void writeClose(byte[] frame) throws IOException {
		write(null, frame);
	}

	private void write(@Nullable List<ByteBuffer> buffers, byte @Nullable [] closeFrame) throws IOException {
		if (this.failed || this.socket.isClosed()) {
			throw new IOException("The WebSocket connection is closed");
		}
		try {
			if (!tryLock(this.timeoutMillis, TimeUnit.MILLISECONDS)) {
				throw new SocketTimeoutException("No write possible within " + this.timeoutMillis + " ms");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted waiting to write", ex);
		}
		try {
			if (this.closeWritten || this.failed) {
				throw new IOException("The WebSocket connection is closed");
			}
			if (closeFrame != null) {
				this.closeWritten = true;
				// Every earlier write has completed: through the socket's own buffer
				this.socket.setWriteTimeout(this.timeoutMillis);
				this.socket.write(true, closeFrame, 0, closeFrame.length);
				this.socket.flush(true);
			}
			else if (buffers != null) {
				Frames.writeInChunks(buffers, this);
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			this.failed = true;
			throw ex;
		}
		finally {
			unlock();
		}
	}

	/**
	 * Return whether a write failed, so that no close frame can follow.
	 */
	boolean hasFailed() {
		return this.failed;
	}

	/**
	 * Close the connection without a close frame.
	 */
	void closeSocket() {
		this.socket.close();
	}

	/**
	 * Write one chunk, blocking until it is written; called under the lock.
	 */
	@Override
	public void write(ByteBuffer[] chunk) throws IOException {
		SocketWrapperBase<?> socket = this.socket;
		if (!socket.hasAsyncIO()) {
			// A connector with its asynchronous I/O turned off: one blocking write a
			// buffer
			socket.setWriteTimeout(this.timeoutMillis);
			for (ByteBuffer buffer : chunk) {
				socket.write(true, buffer);
			}
			socket.flush(true);
			return;
		}
		this.chunkFailure = null;
		this.chunkCompleted = false;
		socket.write(BlockingMode.BLOCK, this.timeoutMillis, TimeUnit.MILLISECONDS, null,
				SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION, this, chunk);
		Throwable failure = this.chunkFailure;
		if (failure instanceof IOException io) {
			throw io;
		}
		if (failure != null) {
			throw new IOException(failure);
		}
		if (!this.chunkCompleted) {
			throw new SocketTimeoutException("Write not completed within " + this.timeoutMillis + " ms");
		}
	}

	@Override
	public void completed(Long written, Void attachment) {
		this.chunkCompleted = true;
	}

	@Override
	public void failed(Throwable failure, Void attachment) {
		this.chunkFailure = failure;
	}

}
