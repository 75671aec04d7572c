package dev.tutti.spring.websocket;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's own frame writer, reached once at startup: the package-private
 * {@code WsRemoteEndpointImplBase.sendMessageBlock(byte opCode, ByteBuffer payload,
 * boolean last)} behind every basic remote endpoint of Tomcat's WebSocket container. It
 * writes a payload as one frame: into the endpoint's frame buffer while batching is on
 * (no write until the next flush), or, with batching off, in one gathering write of
 * header and payload, however large the payload. Unlike {@code sendText}, it takes text
 * already encoded, so a broadcast is encoded once for all recipients rather than once per
 * recipient in frame-buffer-sized fragments.
 * <p>
 * {@link #get()} checks the hook once and returns {@code null} when the container is not
 * Tomcat, the method is missing or cannot be reached (for example from a named module
 * that Tomcat does not open), logging the reason once at INFO; connections then use the
 * standard Jakarta WebSocket API. Thread-safe.
 */
final class TomcatFrames {

	/** The opcode of a text frame (RFC 6455). */
	static final byte TEXT = 0x1;

	/** The opcode of a binary frame (RFC 6455). */
	static final byte BINARY = 0x2;

	/** The longest header of an unmasked frame: 2 bytes, and 8 of extended length. */
	static final int MAX_HEADER = 10;

	private static final String PACKAGE = "org.apache.tomcat.websocket.";

	private static final String FRAME_BUFFER_SIZE_PROPERTY = PACKAGE + "DEFAULT_BUFFER_SIZE";

	private static final Log logger = LogFactory.getLog(TomcatFrames.class);

	private static final Holder HOLDER = new Holder();

	/** {@code (WsRemoteEndpointBase) -> WsRemoteEndpointImplBase}, as Object. */
	private final MethodHandle implOf;

	/** {@code (impl, opCode, payload, last) -> void}, impl as Object. */
	private final MethodHandle sendMessageBlock;

	private final Class<?> basicType;

	private final int frameBufferSize;

	private TomcatFrames(Class<?> basicType, MethodHandle implOf, MethodHandle sendMessageBlock, int frameBufferSize) {
		this.basicType = basicType;
		this.implOf = implOf;
		this.sendMessageBlock = sendMessageBlock;
		this.frameBufferSize = frameBufferSize;
	}

	/**
	 * Return Tomcat's frame writer, or {@code null} if it cannot be used here.
	 * @return the frame writer, or {@code null}
	 */
	static @Nullable TomcatFrames get() {
		return HOLDER.frames;
	}

	/**
	 * Return the size of Tomcat's frame buffer: a frame whose header and payload fit is
	 * copied into it while batching, a larger one is written directly.
	 * @return the size in bytes
	 */
	int frameBufferSize() {
		return this.frameBufferSize;
	}

	/**
	 * Return the frame writer of the given remote endpoint, or {@code null} if it is not
	 * one of Tomcat's.
	 * @param remote the basic remote endpoint of a session
	 * @return the endpoint's frame writer, or {@code null}
	 */
	@Nullable Object endpointOf(RemoteEndpoint.Basic remote) {
		if (!this.basicType.isInstance(remote)) {
			return null;
		}
		try {
			return (Object) this.implOf.invokeExact((Object) remote);
		}
		catch (Throwable ex) {
			return null;
		}
	}

	/**
	 * Write one whole message as one frame, blocking for at most the session's blocking
	 * send timeout.
	 * @param endpoint what {@link #endpointOf} returned
	 * @param opCode {@link #TEXT} or {@link #BINARY}
	 * @param payload the payload; its position is not shared with other sends
	 * @throws IOException if the write failed or timed out
	 */
	void send(Object endpoint, byte opCode, ByteBuffer payload) throws IOException {
		try {
			this.sendMessageBlock.invokeExact(endpoint, opCode, payload, true);
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
	}

	private static @Nullable TomcatFrames create() {
		try {
			ClassLoader loader = TomcatFrames.class.getClassLoader();
			Class<?> baseType = Class.forName(PACKAGE + "WsRemoteEndpointBase", false, loader);
			Class<?> implType = Class.forName(PACKAGE + "WsRemoteEndpointImplBase", false, loader);
			MethodHandles.Lookup baseLookup = MethodHandles.privateLookupIn(baseType, MethodHandles.lookup());
			MethodHandle implOf = baseLookup.findGetter(baseType, "base", implType)
				.asType(MethodType.methodType(Object.class, Object.class));
			MethodHandles.Lookup implLookup = MethodHandles.privateLookupIn(implType, MethodHandles.lookup());
			MethodHandle send = implLookup
				.findVirtual(implType, "sendMessageBlock",
						MethodType.methodType(void.class, byte.class, ByteBuffer.class, boolean.class))
				.asType(MethodType.methodType(void.class, Object.class, byte.class, ByteBuffer.class, boolean.class));
			Class<?> constants = Class.forName(PACKAGE + "Constants", false, loader);
			int frameBufferSize = (int) MethodHandles.privateLookupIn(constants, MethodHandles.lookup())
				.findStaticGetter(constants, "DEFAULT_BUFFER_SIZE", int.class)
				.invokeExact();
			return new TomcatFrames(baseType, implOf, send, frameBufferSize);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			logger.debug("Not on Tomcat's WebSocket container: sending through the standard Jakarta WebSocket API");
			return null;
		}
		catch (Throwable ex) {
			logger.info("Tomcat's frame writer cannot be reached (" + ex
					+ "): sending through the standard Jakarta WebSocket API, which fragments text messages "
					+ "larger than Tomcat's frame buffer (" + Integer.getInteger(FRAME_BUFFER_SIZE_PROPERTY, 8192)
					+ " bytes) and encodes them once per recipient");
			return null;
		}
	}

	/**
	 * Looks the hook up when first used and logs the outcome once.
	 */
	private static final class Holder {

		private final @Nullable TomcatFrames frames = create();

	}

}
