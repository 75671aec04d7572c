package dev.tutti;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The text handler that decodes messages with the hub's codec and hands them to the typed
 * handler their type property selects, or to the hub's single typed handler. A hub uses
 * one of the two forms, never both. A message that cannot be decoded becomes a
 * {@link MessageDecodingException} for the error handlers, and, if configured, an error
 * reply to the client.
 */
final class TypedDispatch implements MessageHandler<String> {

	private final Handlers handlers;

	private final String typeProperty;

	private final boolean errorReply;

	private final Map<String, Binding<?>> byType = new ConcurrentHashMap<>();

	private volatile @Nullable Binding<?> single;

	TypedDispatch(Handlers handlers, HubConfig config) {
		this.handlers = handlers;
		this.typeProperty = config.messageTypeProperty();
		this.errorReply = config.decodingErrorReply();
	}

	boolean isEmpty() {
		return this.single == null && this.byType.isEmpty();
	}

	/**
	 * Register the handler of one message type.
	 * @throws IllegalStateException if the type has a handler, or a single typed handler
	 * is registered
	 */
	<T> void register(String typeName, Class<T> type, MessageHandler<? super T> handler) {
		if (this.single != null) {
			throw new IllegalStateException("Cannot register a handler for message type '" + typeName
					+ "': the hub handles every text message as " + this.single.type().getSimpleName()
					+ " (onMessage(Class, handler)); use one form or the other");
		}
		if (this.byType.putIfAbsent(typeName, new Binding<>(type, handler)) != null) {
			throw new IllegalStateException("Message type '" + typeName + "' already has a handler");
		}
	}

	/**
	 * Register the handler of every text message.
	 * @throws IllegalStateException if a typed handler of any form is registered
	 */
	<T> void registerSingle(Class<T> type, MessageHandler<? super T> handler) {
		if (!this.byType.isEmpty()) {
			throw new IllegalStateException("Cannot handle every text message as " + type.getSimpleName()
					+ ": handlers for message types " + this.byType.keySet()
					+ " are registered (onMessage(String, Class, handler)); use one form or the other");
		}
		if (this.single != null) {
			throw new IllegalStateException("Every text message is handled as " + this.single.type().getSimpleName()
					+ " already; register one onMessage(Class, handler)");
		}
		this.single = new Binding<>(type, handler);
	}

	@Override
	public void handle(Session session, String text) throws Exception {
		Codec codec = this.handlers.requireCodec();
		Binding<?> binding = this.single;
		if (binding == null) {
			String typeName;
			try {
				typeName = codec.readDiscriminator(text, this.typeProperty);
			}
			catch (RuntimeException ex) {
				throw failed(session, "malformed message", ex);
			}
			if (typeName == null) {
				throw failed(session, "no string property '" + this.typeProperty + "'", null);
			}
			binding = this.byType.get(typeName);
			if (binding == null) {
				throw failed(session, "unknown message type '" + typeName + "'", null);
			}
		}
		Object value;
		try {
			value = codec.decode(text, binding.type());
		}
		catch (RuntimeException ex) {
			throw failed(session, "not a valid " + binding.type().getSimpleName(), ex);
		}
		binding.dispatch(session, value);
	}

	private MessageDecodingException failed(Session session, String problem, @Nullable Throwable cause) {
		if (this.errorReply && !session.isClosed()) {
			session.writeError("Cannot decode message: " + problem);
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
