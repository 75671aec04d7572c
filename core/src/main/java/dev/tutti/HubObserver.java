package dev.tutti;

import java.util.function.Function;
import java.util.function.Supplier;

import dev.tutti.transport.Upgrade;
import org.jspecify.annotations.Nullable;

/**
 * Observes handshakes and the handling of inbound messages, for tracing: wraps each in
 * whatever the observer records (a Micrometer {@code Observation}, see
 * {@link TuttiObservations}). The hub checks for {@link #NONE} before it calls an
 * observer, so a hub that is not observed pays a field read per message.
 */
interface HubObserver {

	/** The observer that observes nothing. */
	HubObserver NONE = new HubObserver() {

		@Override
		public Upgrade handshake(HandshakeRequest request, Function<HandshakeRequest, Upgrade> handshake) {
			return handshake.apply(request);
		}

		@Override
		public void message(Session session, boolean binary, Supplier<@Nullable Throwable> handling) {
			var unused = handling.get();
		}

	};

	/**
	 * Observe a handshake.
	 * @param request the handshake request
	 * @param handshake runs the hub's handshake handlers and registers the session
	 * @return what {@code handshake} returned
	 */
	Upgrade handshake(HandshakeRequest request, Function<HandshakeRequest, Upgrade> handshake);

	/**
	 * Observe the handling of one inbound message by every message handler.
	 * @param session the session that received the message
	 * @param binary whether the message is binary
	 * @param handling runs the handlers and returns the first failure, or {@code null}
	 */
	void message(Session session, boolean binary, Supplier<@Nullable Throwable> handling);

}
