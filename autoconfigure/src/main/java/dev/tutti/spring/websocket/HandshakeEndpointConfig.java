package dev.tutti.spring.websocket;

import java.util.List;
import java.util.Map;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The endpoint configuration of one handshake that {@link TuttiWebSocketServlet} hands to
 * the container, and its configurator, which returns that handshake's
 * {@link TuttiEndpoint}. One small object per connection: the container keeps it for the
 * session's life. No subprotocols, encoders or decoders; the container negotiates the
 * extensions it supports, as Spring's handshake does.
 */
final class HandshakeEndpointConfig extends ServerEndpointConfig.Configurator implements ServerEndpointConfig {

	private final String path;

	private final TuttiEndpoint endpoint;

	HandshakeEndpointConfig(String path, TuttiEndpoint endpoint) {
		this.path = path;
		this.endpoint = endpoint;
	}

	@Override
	public Class<?> getEndpointClass() {
		return TuttiEndpoint.class;
	}

	@Override
	public String getPath() {
		return this.path;
	}

	@Override
	public List<String> getSubprotocols() {
		return List.of();
	}

	@Override
	public List<Extension> getExtensions() {
		return List.of();
	}

	@Override
	public ServerEndpointConfig.Configurator getConfigurator() {
		return this;
	}

	@Override
	public List<Class<? extends Encoder>> getEncoders() {
		return List.of();
	}

	@Override
	public List<Class<? extends Decoder>> getDecoders() {
		return List.of();
	}

	/**
	 * Return an empty map: the container copies it into each session's own.
	 */
	@Override
	public Map<String, Object> getUserProperties() {
		return Map.of();
	}

	@Override
	public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
		if (!endpointClass.isInstance(this.endpoint)) {
			throw new InstantiationException(
					"Tutti serves " + TuttiEndpoint.class.getName() + ", not " + endpointClass);
		}
		return endpointClass.cast(this.endpoint);
	}

}
