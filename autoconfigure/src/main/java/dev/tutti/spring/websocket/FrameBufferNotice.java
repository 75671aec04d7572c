package dev.tutti.spring.websocket;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs, once per handler, that an outbound text message sent through the standard Jakarta
 * WebSocket API (see {@link JakartaConnection}) is larger than Tomcat's WebSocket frame
 * buffer: Tomcat sends such a message in one network write per buffer, which costs
 * several times what a message that fits costs. Applies only when the frame buffer size
 * is set as a system property, as the starter does on Tomcat.
 */
final class FrameBufferNotice {

	private static final String FRAME_BUFFER_SIZE_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private static final Log logger = LogFactory.getLog(TuttiWebSocketHandler.class);

	private final AtomicBoolean noted = new AtomicBoolean();

	/**
	 * Return the size above which a message is worth a notice: the frame buffer size, or
	 * {@link Integer#MAX_VALUE} if it is not set. Read for each connection, because the
	 * starter sets it only as the server starts.
	 */
	static int limit() {
		Integer size = Integer.getInteger(FRAME_BUFFER_SIZE_PROPERTY);
		return (size != null && size > 0) ? size : Integer.MAX_VALUE;
	}

	/**
	 * Log the notice unless it was logged already.
	 * @param size the size of the message
	 * @param unit what the size counts
	 * @param limit the frame buffer size in bytes
	 */
	void note(int size, String unit, int limit) {
		if (this.noted.compareAndSet(false, true)) {
			logger.info("Sending a message of " + size + " " + unit + ", more than Tomcat's WebSocket frame buffer of "
					+ limit + " bytes: such a message takes one network write per buffer. If messages of this size "
					+ "are common, raise tutti.tomcat.frame-buffer-size towards their size. Logged once.");
		}
	}

}
