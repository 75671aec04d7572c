package dev.tutti;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.tutti.transport.Upgrade;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * Makes a {@link Hub}'s handshakes and the handling of its inbound messages Micrometer
 * {@link Observation}s, so that an application with Micrometer Tracing sees a span per
 * handshake and per handled message, and one with a meter observation handler a timer of
 * each:
 * <ul>
 * <li>{@code tutti.handshake}: the hub's handshake handlers and the session's
 * registration. Its context is a {@link ReceiverContext} over the
 * {@link HandshakeRequest}, so a trace propagated in the handshake's headers (for example
 * {@code traceparent}) continues.</li>
 * <li>{@code tutti.message}: one inbound text or binary message, handled by every message
 * handler (typed handlers included) on the thread that runs them, so the handlers see the
 * observation as the current one. A handler that throws marks it with the error.</li>
 * </ul>
 * Key values are low-cardinality only: {@code hub}, and {@code type} ({@code text},
 * {@code binary}) or {@code outcome} ({@code accepted}, {@code rejected},
 * {@code hub-closed}). Never a session id, user or address.
 * <p>
 * A hub that is not observed, or observed with {@link ObservationRegistry#NOOP}, pays a
 * field read per message.
 */
public final class TuttiObservations {

	private TuttiObservations() {
	}

	/**
	 * Observe a hub's handshakes and inbound messages in a registry from now on. A second
	 * call replaces the first.
	 * @param hub the hub
	 * @param registry the registry; {@link ObservationRegistry#NOOP} turns observing off
	 */
	public static void observe(Hub hub, ObservationRegistry registry) {
		Objects.requireNonNull(hub, "hub");
		Objects.requireNonNull(registry, "registry");
		hub.handlers().observe(registry.isNoop() ? HubObserver.NONE : new Observer(hub.config().name(), registry));
	}

	/**
	 * The observations and their key names.
	 */
	public enum Documentation implements ObservationDocumentation {

		/** A handshake: the handshake handlers and the session's registration. */
		HANDSHAKE {

			@Override
			public String getName() {
				return "tutti.handshake";
			}

			@Override
			public String getContextualName() {
				return "tutti handshake";
			}

			@Override
			public KeyName[] getLowCardinalityKeyNames() {
				return new KeyName[] { Keys.HUB, Keys.OUTCOME };
			}

		},

		/** The handling of one inbound message by every message handler. */
		MESSAGE {

			@Override
			public String getName() {
				return "tutti.message";
			}

			@Override
			public String getContextualName() {
				return "tutti message";
			}

			@Override
			public KeyName[] getLowCardinalityKeyNames() {
				return new KeyName[] { Keys.HUB, Keys.TYPE };
			}

		};

		@Override
		public @Nullable Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return null;
		}

	}

	/**
	 * The key names of Tutti's observations.
	 */
	public enum Keys implements KeyName {

		/** The hub's name. */
		HUB {

			@Override
			public String asString() {
				return "hub";
			}

		},

		/** The message type: {@code text} or {@code binary}. */
		TYPE {

			@Override
			public String asString() {
				return "type";
			}

		},

		/**
		 * The handshake's outcome: {@code accepted}, {@code rejected} or
		 * {@code hub-closed}.
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		}

	}

	/**
	 * The context of a {@code tutti.handshake} observation: the handshake request is its
	 * carrier.
	 */
	public static final class HandshakeContext extends ReceiverContext<HandshakeRequest> {

		private final String hubName;

		HandshakeContext(String hubName, HandshakeRequest request) {
			super((carrier, key) -> carrier.header(key));
			this.hubName = hubName;
			setCarrier(request);
		}

		/**
		 * Return the name of the hub that handles the handshake.
		 * @return the hub's name
		 */
		public String hubName() {
			return this.hubName;
		}

	}

	/**
	 * The context of a {@code tutti.message} observation.
	 */
	public static final class MessageContext extends Observation.Context {

		private final String hubName;

		private final Session session;

		private final boolean binary;

		MessageContext(String hubName, Session session, boolean binary) {
			this.hubName = hubName;
			this.session = session;
			this.binary = binary;
		}

		/**
		 * Return the name of the hub that received the message.
		 * @return the hub's name
		 */
		public String hubName() {
			return this.hubName;
		}

		/**
		 * Return the session that received the message.
		 * @return the session
		 */
		public Session session() {
			return this.session;
		}

		/**
		 * Return whether the message is binary.
		 * @return {@code true} for a binary message, {@code false} for text
		 */
		public boolean isBinary() {
			return this.binary;
		}

	}

	/**
	 * The observer behind {@link #observe(Hub, ObservationRegistry)}.
	 */
	private static final class Observer implements HubObserver {

		private static final KeyValue TEXT = KeyValue.of(Keys.TYPE, "text");

		private static final KeyValue BINARY = KeyValue.of(Keys.TYPE, "binary");

		private final KeyValue hub;

		private final String hubName;

		private final ObservationRegistry registry;

		Observer(String hubName, ObservationRegistry registry) {
			this.hubName = hubName;
			this.hub = KeyValue.of(Keys.HUB, hubName);
			this.registry = registry;
		}

		@Override
		public Upgrade handshake(HandshakeRequest request, Function<HandshakeRequest, Upgrade> handshake) {
			Observation observation = Documentation.HANDSHAKE
				.observation(this.registry, () -> new HandshakeContext(this.hubName, request))
				.lowCardinalityKeyValue(this.hub)
				.start();
			try (Observation.Scope scope = observation.openScope()) {
				Upgrade upgrade = handshake.apply(request);
				observation.lowCardinalityKeyValue(KeyValue.of(Keys.OUTCOME, Hub.outcome(upgrade)));
				return upgrade;
			}
			catch (RuntimeException | Error ex) {
				observation.error(ex);
				throw ex;
			}
			finally {
				observation.stop();
			}
		}

		@Override
		public void message(Session session, boolean binary, Supplier<@Nullable Throwable> handling) {
			Observation observation = Documentation.MESSAGE
				.observation(this.registry, () -> new MessageContext(this.hubName, session, binary))
				.lowCardinalityKeyValues(KeyValues.of(this.hub, binary ? BINARY : TEXT))
				.start();
			try (Observation.Scope scope = observation.openScope()) {
				Throwable failure = handling.get();
				if (failure != null) {
					observation.error(failure);
				}
			}
			finally {
				observation.stop();
			}
		}

	}

}
