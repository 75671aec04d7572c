package dev.tutti.spring.autoconfigure;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

import org.springframework.web.context.ServletContextAware;

/**
 * Sizes the message buffers that the servlet container's WebSocket implementation
 * allocates for every connection, once the container has published its
 * {@link ServerContainer} and before the connector accepts connections. Without a
 * {@code ServerContainer} in the servlet context (a mock servlet environment) it does
 * nothing.
 */
final class ServerContainerBuffers implements ServletContextAware {

	private final int messageBufferSize;

	ServerContainerBuffers(int messageBufferSize) {
		this.messageBufferSize = messageBufferSize;
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
			container.setDefaultMaxTextMessageBufferSize(this.messageBufferSize);
			container.setDefaultMaxBinaryMessageBufferSize(this.messageBufferSize);
		}
	}

}
