package dev.tutti.benchmarks.server;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The websocket-shootout protocol: parses a client's request and encodes the server's
 * replies. Thread-safe.
 * <p>
 * A client sends {@code {"type":"echo","payload":...}}, which the server returns as is,
 * or {@code {"type":"broadcast","payload":...}}, which the server sends to every client
 * as {@code {"type":"broadcast","payload":...}}, followed by
 * {@code {"type":"broadcastResult","payload":...,"listenerCount":N}} to the sender.
 */
public final class ShootoutProtocol {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private ShootoutProtocol() {
	}

	/**
	 * Parse a request.
	 * @param text the message a client sent
	 * @return the request, or {@code null} if the message is not a JSON object with a
	 * {@code type}
	 */
	public static @Nullable Request parse(String text) {
		try {
			JsonNode node = mapper.readTree(text);
			JsonNode type = node.get("type");
			if (type == null || !type.isString()) {
				return null;
			}
			JsonNode payload = node.get("payload");
			return new Request(type.stringValue(), (payload != null) ? mapper.writeValueAsString(payload) : "null");
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Encode the message every client receives for a broadcast.
	 * @param payload the payload as JSON
	 * @return the message
	 */
	public static String broadcast(String payload) {
		return "{\"type\":\"broadcast\",\"payload\":" + payload + "}";
	}

	/**
	 * Encode the reply to the sender of a broadcast.
	 * @param payload the payload as JSON
	 * @param listenerCount the number of clients the broadcast was sent to
	 * @return the message
	 */
	public static String broadcastResult(String payload, int listenerCount) {
		return "{\"type\":\"broadcastResult\",\"payload\":" + payload + ",\"listenerCount\":" + listenerCount + "}";
	}

	/**
	 * A parsed request.
	 *
	 * @param type the request type, such as {@code echo} or {@code broadcast}
	 * @param payload the payload as JSON
	 */
	public record Request(String type, String payload) {

		/**
		 * Whether this is an echo request.
		 * @return {@code true} for {@code echo}
		 */
		public boolean isEcho() {
			return "echo".equals(this.type);
		}

		/**
		 * Whether this is a broadcast request.
		 * @return {@code true} for {@code broadcast}
		 */
		public boolean isBroadcast() {
			return "broadcast".equals(this.type);
		}

	}

}
