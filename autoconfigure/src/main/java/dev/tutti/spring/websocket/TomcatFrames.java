package dev.tutti.spring.websocket;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Raw frame writes on Tomcat's WebSocket container, reached once at startup: the endpoint
 * behind every basic remote endpoint ({@code WsRemoteEndpointImplBase}), its
 * {@code doWrite(SendHandler, long, ByteBuffer...)}, which writes bytes to the socket in
 * a loop, and its {@code messagePartInProgress} semaphore, which Tomcat holds for every
 * frame it writes itself (pongs, close frames). {@link #write} holds that semaphore while
 * it writes frames that Tutti made, so they never interleave with Tomcat's, and refuses
 * to write after Tomcat sent a close frame.
 * <p>
 * A write gathers the frames' headers and their payloads, which are shared by every
 * recipient of a broadcast and never copied per recipient, in calls of at most
 * {@value Frames#WRITE_CHUNK} bytes each: a message of any size is one frame, written in
 * a loop, without the per-buffer recursion of Tomcat's batching and without copying it
 * into a frame buffer.
 * <p>
 * {@link #get()} checks the hook once and returns {@code null} when the container is not
 * Tomcat or the members are missing or cannot be reached (for example from a named module
 * that Tomcat does not open), logging why once; connections then use the standard Jakarta
 * WebSocket API. Thread-safe.
 */
final class TomcatFrames {

	private static final String PACKAGE = "org.apache.tomcat.websocket.";

	private static final Log logger = LogFactory.getLog(TomcatFrames.class);

	private static final @Nullable TomcatFrames INSTANCE = create();

	private final Class<?> basicType;

	/** {@code (WsRemoteEndpointBase) -> WsRemoteEndpointImplBase}, as Object. */
	private final MethodHandle endpointOf;

	/** {@code (WsRemoteEndpointImplBase) -> Semaphore}. */
	private final MethodHandle semaphoreOf;

	/** {@code (WsRemoteEndpointImplBase) -> boolean}: whether a close frame was sent. */
	private final MethodHandle closedOf;

	/**
	 * {@code (WsRemoteEndpointImplBase, SendHandler, long expiry, ByteBuffer[]) -> void}.
	 */
	private final MethodHandle doWrite;

	private final Class<?> sessionType;

	/**
	 * {@code (WsSession, CloseReason message, CloseReason local, boolean closeSocket)}.
	 */
	private final MethodHandle doClose;

	private TomcatFrames(Class<?> basicType, MethodHandle endpointOf, MethodHandle semaphoreOf, MethodHandle closedOf,
			MethodHandle doWrite, Class<?> sessionType, MethodHandle doClose) {
		this.basicType = basicType;
		this.endpointOf = endpointOf;
		this.semaphoreOf = semaphoreOf;
		this.closedOf = closedOf;
		this.doWrite = doWrite;
		this.sessionType = sessionType;
		this.doClose = doClose;
	}

	/**
	 * Return Tomcat's frame writer, or {@code null} if it cannot be used here.
	 * @return the frame writer, or {@code null}
	 */
	static @Nullable TomcatFrames get() {
		return INSTANCE;
	}

	/**
	 * Return the endpoint that frames of the given remote endpoint are written to, or
	 * {@code null} if it is not one of Tomcat's.
	 * @param remote the basic remote endpoint of a session
	 * @return the endpoint, or {@code null}
	 */
	@Nullable Object endpointOf(RemoteEndpoint.Basic remote) {
		if (!this.basicType.isInstance(remote)) {
			return null;
		}
		try {
			return (Object) this.endpointOf.invokeExact((Object) remote);
		}
		catch (Throwable ex) {
			return null;
		}
	}

	/**
	 * Close a session whose frame write failed, as Tomcat does after a failed write of
	 * its own: the close frame is attempted (it fails, or lands inside the frame that was
	 * cut short) and the connection is closed without waiting for the peer's close frame.
	 * @param session the session
	 * @param reason the close reason
	 * @throws IOException if the container reports one
	 */
	void closeAfterFailedWrite(Session session, CloseReason reason) throws IOException {
		if (!this.sessionType.isInstance(session)) {
			session.close(reason);
			return;
		}
		try {
			this.doClose.invokeExact((Object) session, reason, reason, true);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
	}

	/**
	 * Write whole frames, blocking until they are written.
	 * @param endpoint what {@link #endpointOf} returned
	 * @param buffers the frames' headers and payloads, in order; consumed
	 * @param timeoutMillis how long to wait for Tomcat's own frame in progress, and then
	 * for each call of at most {@value Frames#WRITE_CHUNK} bytes
	 * @throws IOException if the write failed or timed out, or the connection is closed
	 */
	void write(Object endpoint, List<ByteBuffer> buffers, long timeoutMillis) throws IOException {
		Semaphore inProgress = semaphore(endpoint);
		try {
			if (!inProgress.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
				throw new SocketTimeoutException("No write possible within " + timeoutMillis + " ms");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted waiting to write", ex);
		}
		try {
			if (isClosed(endpoint)) {
				throw new IOException("The WebSocket connection is closed");
			}
			Frames.writeInChunks(buffers, (chunk) -> doWrite(endpoint, chunk, timeoutMillis));
		}
		finally {
			inProgress.release();
		}
	}

	private void doWrite(Object endpoint, ByteBuffer[] chunk, long timeoutMillis) throws IOException {
		Completion completion = new Completion();
		long expiry = System.currentTimeMillis() + timeoutMillis;
		try {
			this.doWrite.invokeExact(endpoint, (SendHandler) completion, expiry, chunk);
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
		completion.await(timeoutMillis);
	}

	private Semaphore semaphore(Object endpoint) {
		try {
			return (Semaphore) this.semaphoreOf.invokeExact(endpoint);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Cannot read Tomcat's write semaphore", ex);
		}
	}

	private boolean isClosed(Object endpoint) {
		try {
			return (boolean) this.closedOf.invokeExact(endpoint);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Cannot read Tomcat's closed flag", ex);
		}
	}

	private static @Nullable TomcatFrames create() {
		try {
			ClassLoader loader = TomcatFrames.class.getClassLoader();
			Class<?> basicType = Class.forName(PACKAGE + "WsRemoteEndpointBase", false, loader);
			Class<?> implType = Class.forName(PACKAGE + "WsRemoteEndpointImplBase", false, loader);
			MethodHandles.Lookup basicLookup = MethodHandles.privateLookupIn(basicType, MethodHandles.lookup());
			MethodHandle endpointOf = basicLookup.findGetter(basicType, "base", implType)
				.asType(MethodType.methodType(Object.class, Object.class));
			MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(implType, MethodHandles.lookup());
			MethodHandle semaphoreOf = lookup.findGetter(implType, "messagePartInProgress", Semaphore.class)
				.asType(MethodType.methodType(Semaphore.class, Object.class));
			MethodHandle closedOf = lookup.findGetter(implType, "closed", boolean.class)
				.asType(MethodType.methodType(boolean.class, Object.class));
			MethodHandle doWrite = lookup
				.findVirtual(implType, "doWrite",
						MethodType.methodType(void.class, SendHandler.class, long.class, ByteBuffer[].class))
				.asFixedArity()
				.asType(MethodType.methodType(void.class, Object.class, SendHandler.class, long.class,
						ByteBuffer[].class));
			Class<?> sessionType = Class.forName(PACKAGE + "WsSession", false, loader);
			MethodHandle doClose = MethodHandles.publicLookup()
				.findVirtual(sessionType, "doClose",
						MethodType.methodType(void.class, CloseReason.class, CloseReason.class, boolean.class))
				.asType(MethodType.methodType(void.class, Object.class, CloseReason.class, CloseReason.class,
						boolean.class));
			return new TomcatFrames(basicType, endpointOf, semaphoreOf, closedOf, doWrite, sessionType, doClose);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			logger.debug("Not on Tomcat's WebSocket container: sending through the standard Jakarta WebSocket API");
			return null;
		}
		catch (Throwable ex) {
			logger.info("Tomcat's frame writer cannot be reached (" + ex
					+ "): sending through the standard Jakarta WebSocket API, which encodes text once per recipient "
					+ "and fragments text messages larger than Tomcat's frame buffer");
			return null;
		}
	}

	/**
	 * The outcome of one blocking {@code doWrite}, which Tomcat may report on another
	 * thread.
	 */
	private static final class Completion extends CompletableFuture<SendResult> implements SendHandler {

		@Override
		public void onResult(SendResult result) {
			complete(result);
		}

		void await(long timeoutMillis) throws IOException {
			SendResult result;
			try {
				result = get(timeoutMillis, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while writing", ex);
			}
			catch (ExecutionException ex) {
				throw new IOException(ex.getCause());
			}
			catch (TimeoutException ex) {
				throw new SocketTimeoutException("Write not completed within " + timeoutMillis + " ms");
			}
			if (!result.isOK()) {
				Throwable failure = result.getException();
				throw (failure instanceof IOException io) ? io : new IOException(failure);
			}
		}

	}

}
