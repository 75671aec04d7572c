package dev.tutti.spring.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Sets the size of Tomcat's WebSocket frame buffers
 * ({@code tutti.tomcat.frame-buffer-size}) as the {@value #PROPERTY} system property when
 * an embedded Tomcat is created. The one place in Tutti that sets a system property, and
 * the one setting Tutti cannot keep to its own application.
 * <p>
 * Tomcat 11 sizes every WebSocket connection's frame input buffer ({@code WsFrameBase}),
 * its output and encoder buffers ({@code WsRemoteEndpointImplBase}) and its
 * permessage-deflate buffers ({@code PerMessageDeflate}) by
 * {@code org.apache.tomcat.websocket.Constants.DEFAULT_BUFFER_SIZE}: a static final
 * field, read from this system property once, when the class is initialized, which is
 * when the first WebSocket container of the class loader is created. No container,
 * endpoint or session setting reaches those buffers (the message buffers, which the
 * container does size per server, are {@link ServerContainerBuffers}' job). So the size
 * must be a system property before the first server starts, and it then holds for every
 * server in the JVM.
 * <p>
 * This customizer therefore sets the property only if it is not set yet, and never clears
 * it. A value set on the command line wins. So does the value an application that started
 * earlier in the same JVM set: Tomcat may already use it, and the property keeps telling
 * what Tomcat uses. A later application whose own size differs logs so instead of
 * pretending to apply it.
 * <p>
 * Thread-safe.
 */
final class TomcatFrameBufferSize implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	/** The system property Tomcat sizes its WebSocket frame buffers by. */
	static final String PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private static final Log logger = LogFactory.getLog(TomcatFrameBufferSize.class);

	private final int size;

	/**
	 * Create a customizer that sets the given size.
	 * @param size the frame buffer size in bytes
	 */
	TomcatFrameBufferSize(int size) {
		this.size = size;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		apply(this.size);
	}

	/**
	 * Set the property unless it is set. Synchronized on the class so that two
	 * applications starting at once in one JVM do not both find it unset.
	 */
	private static synchronized void apply(int size) {
		String value = Integer.toString(size);
		String current = System.getProperty(PROPERTY);
		if (current == null) {
			System.setProperty(PROPERTY, value);
		}
		else if (!current.equals(value)) {
			logger.info("Tomcat's WebSocket frame buffers are " + current + " bytes, from the system property '"
					+ PROPERTY + "' set on the command line or by an application started earlier in this JVM. "
					+ "tutti.tomcat.frame-buffer-size (" + value + " bytes) does not apply: Tomcat reads the size "
					+ "once per JVM.");
		}
	}

}
