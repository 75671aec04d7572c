package dev.tutti.spring.actuate;

import java.util.function.Supplier;

import dev.tutti.HubClosedException;
import dev.tutti.spring.actuate.TuttiEndpoint.BroadcastDescriptor;
import dev.tutti.spring.actuate.TuttiEndpoint.SessionDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link TuttiEndpoint}: gives
 * its write operations the HTTP statuses that a client expects, where the endpoint itself
 * answers {@code null} or throws. An unknown hub or session gets 404 (the actuator would
 * answer 204 to a write operation that returns {@code null}), and a broadcast to a closed
 * hub gets 503. The read operations need no extension: the actuator answers a read
 * operation that returns {@code null} with 404.
 * <p>
 * Thread-safe.
 */
@EndpointWebExtension(endpoint = TuttiEndpoint.class)
public class TuttiEndpointWebExtension {

	private final TuttiEndpoint delegate;

	/**
	 * Create an extension.
	 * @param delegate the endpoint that performs the operations
	 */
	public TuttiEndpointWebExtension(TuttiEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Broadcast a text message to every session of a hub: {@code POST /tutti/{hub}} with
	 * {@code {"text": "..."}}.
	 * @param hub the hub's name
	 * @param text the message
	 * @return what the broadcast did; 404 if there is no such hub, 503 if it is closed
	 * @see TuttiEndpoint#broadcast(String, String)
	 */
	@WriteOperation
	public WebEndpointResponse<BroadcastDescriptor> broadcast(@Selector String hub, String text) {
		return respond(() -> this.delegate.broadcast(hub, text));
	}

	/**
	 * Broadcast a text message to the members of a room: {@code POST
	 * /tutti/{hub}/rooms/{room}} with {@code {"text": "..."}}.
	 * @param hub the hub's name
	 * @param rooms the path segment {@code rooms}
	 * @param room the room's name
	 * @param text the message
	 * @return what the broadcast did; 404 if there is no such hub or the segment is not
	 * {@code rooms}, 503 if the hub is closed
	 * @see TuttiEndpoint#broadcastToRoom(String, String, String, String)
	 */
	@WriteOperation
	public WebEndpointResponse<BroadcastDescriptor> broadcastToRoom(@Selector String hub, @Selector String rooms,
			@Selector String room, String text) {
		return respond(() -> this.delegate.broadcastToRoom(hub, rooms, room, text));
	}

	/**
	 * Close a session: {@code DELETE /tutti/{hub}/sessions/{id}?code=...&reason=...}.
	 * @param hub the hub's name
	 * @param sessions the path segment {@code sessions}
	 * @param id the session id
	 * @param code the close code, 1000 if {@code null}
	 * @param reason the close reason, none if {@code null}
	 * @return the session as it was when it was closed; 404 if there is no such hub or
	 * open session or the segment is not {@code sessions}, 400 if the code or reason is
	 * invalid
	 * @see TuttiEndpoint#closeSession(String, String, String, Integer, String)
	 */
	@DeleteOperation
	public WebEndpointResponse<SessionDescriptor> closeSession(@Selector String hub, @Selector String sessions,
			@Selector String id, @Nullable Integer code, @Nullable String reason) {
		return respond(() -> this.delegate.closeSession(hub, sessions, id, code, reason));
	}

	private static <T> WebEndpointResponse<T> respond(Supplier<@Nullable T> operation) {
		try {
			T body = operation.get();
			return (body != null) ? new WebEndpointResponse<>(body)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (HubClosedException ex) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

}
