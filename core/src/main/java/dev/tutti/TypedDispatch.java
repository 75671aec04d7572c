package dev.tutti;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The text handler that decodes messages with the hub's codec and hands them to the typed
 * handler their discriminator selects, or to the hub's single typed handler. A message
 * that cannot be decoded becomes a {@link MessageDecodingException} for the error
 * handler, and, if configured, an error reply to the client.
 */
final class TypedDispatch implements MessageHandler<String> {

	private final Hub hub;

	private final Map<String, Binding<?>> byType = new ConcurrentHashMap<>();

	private volatile @Nullable Binding<?> single;

	TypedDispatch(Hub hub) {
		this.hub = hub;
	}

	<T> void register(String typeName, Class<T> type, MessageHandler<? super T> handler) {
		this.byType.put(typeName, new Binding<>(type, handler));
	}

	<T> void registerSingle(Class<T> type, MessageHandler<? super T> handler) {
		this.single = new Binding<>(type, handler);
	}

	@Override
	public void handle(Session session, String text) throws Exception {
		Codec codec = this.hub.requireCodec();
		String property = this.hub.config().messageTypeProperty();
		Binding<?> binding = this.single;
		if (binding == null) {
			String typeName;
			try {
				typeName = codec.readDiscriminator(text, property);
			}
			catch (RuntimeException ex) {
				throw failed(session, codec, "malformed message", ex);
			}
			if (typeName == null) {
				throw failed(session, codec, "no string property '" + property + "'", null);
			}
			binding = this.byType.get(typeName);
			if (binding == null) {
				throw failed(session, codec, "unknown message type '" + typeName + "'", null);
			}
		}
		Object value;
		try {
			value = codec.decode(text, binding.type());
		}
		catch (RuntimeException ex) {
			throw failed(session, codec, "not a valid " + binding.type().getSimpleName(), ex);
		}
		binding.dispatch(session, value);
	}

	private MessageDecodingException failed(Session session, Codec codec, String problem, @Nullable Throwable cause) {
		if (this.hub.config().decodingErrorReply() && !session.isClosed()) {
			session.write(codec.encode(Map.of(this.hub.config().messageTypeProperty(), "error", "message",
					"Cannot decode message: " + problem)));
		}
		String detail = (cause != null) ? problem + " (" + cause.getMessage() + ")" : problem;
		return new MessageDecodingException(session.id(), detail, cause);
	}

	private record Binding<T>(Class<T> type, MessageHandler<? super T> handler) {

		void dispatch(Session session, Object value) throws Exception {
			this.handler.handle(session, this.type.cast(value));
		}

	}

}
