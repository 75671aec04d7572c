package dev.tutti.spring.autoconfigure;

import java.util.Objects;

import dev.tutti.Hub;

/**
 * Maps a {@link Hub} to a WebSocket path. The auto-configuration registers one for its
 * own hub at {@code tutti.path} and one more for every {@code HubEndpoint} bean, so an
 * application can serve several hubs (for example a chat and a notification feed) on
 * different paths. Every endpoint applies the {@code tutti.allowed-origins} and
 * {@code tutti.allowed-origin-patterns} settings.
 *
 * @param path the URL path of the endpoint, such as {@code /chat}
 * @param hub the hub that owns the endpoint's sessions
 */
public record HubEndpoint(String path, Hub hub) {

	/**
	 * Create an endpoint.
	 * @param path the URL path, starting with {@code /}
	 * @param hub the hub
	 * @throws IllegalArgumentException if the path does not start with {@code /}
	 */
	public HubEndpoint {
		Objects.requireNonNull(path, "path");
		Objects.requireNonNull(hub, "hub");
		if (!path.startsWith("/")) {
			throw new IllegalArgumentException("Hub endpoint path must start with '/', was '" + path + "'");
		}
	}

}
