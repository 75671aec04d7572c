package dev.tutti;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Delivers broadcasts: resolves a {@link Target} to this hub's recipients without
 * scanning more sessions than it must, and offers the one immutable message to each
 * recipient's outbound queue. The one place every broadcast passes, and so where a
 * {@link Backplane} plugs in: a target broadcast is handed to it once, before the local
 * offers; without one that costs a volatile read.
 * <p>
 * Thread-safe; never blocks and never waits for I/O (a backplane bounds its own wait).
 */
final class Broadcaster {

	private final String hubName;

	private final SessionRegistry registry;

	private final HubMetrics metrics;

	private volatile @Nullable Backplane backplane;

	Broadcaster(String hubName, SessionRegistry registry, HubMetrics metrics) {
		this.hubName = hubName;
		this.registry = registry;
		this.metrics = metrics;
	}

	/**
	 * Offer a message to the sessions of a target.
	 * @throws HubClosedException if the hub is closed
	 */
	BroadcastResult broadcast(Target target, Outbound message) {
		Backplane backplane = this.backplane;
		if (backplane != null) {
			if (this.registry.isClosed()) {
				throw new HubClosedException(this.hubName);
			}
			if (message.isBinary()) {
				backplane.publishBinary(target, message.bytes());
			}
			else {
				backplane.publish(target, message.text());
			}
		}
		return deliver(target, message);
	}

	/**
	 * Offer a message to this hub's sessions of a target only, as for a message from
	 * another node.
	 * @throws HubClosedException if the hub is closed
	 */
	BroadcastResult deliver(Target target, Outbound message) {
		return offer(message, candidates(target), matcher(target));
	}

	/**
	 * Set the backplane every target broadcast is published to.
	 */
	void backplane(Backplane backplane) {
		this.backplane = backplane;
	}

	@Nullable Backplane backplane() {
		return this.backplane;
	}

	/**
	 * Offer a message to the sessions a filter accepts, running the filter once per
	 * session.
	 * @throws HubClosedException if the hub is closed
	 */
	BroadcastResult broadcastLocal(Predicate<? super Session> filter, Outbound message) {
		return offer(message, this.registry.sessions(), filter);
	}

	/**
	 * Return the sessions a target can reach without scanning more than it must: a room's
	 * members, the sessions with the given ids, or everyone.
	 */
	Collection<DefaultSession> candidates(Target target) {
		if (target instanceof Target.Room room) {
			return this.registry.rooms().members(room.name());
		}
		if (target instanceof Target.Sessions sessions) {
			List<DefaultSession> found = new ArrayList<>(sessions.ids().size());
			for (String id : sessions.ids()) {
				DefaultSession session = this.registry.get(id);
				if (session != null) {
					found.add(session);
				}
			}
			return found;
		}
		if (target instanceof Target.Except except) {
			return candidates(except.target());
		}
		return this.registry.sessions();
	}

	private static Predicate<Session> matcher(Target target) {
		if (target instanceof Target.AttributeEquals attribute) {
			return (session) -> attribute.value().equals(session.get(attribute.key()));
		}
		if (target instanceof Target.Except except) {
			Predicate<Session> inner = matcher(except.target());
			return (session) -> !session.id().equals(except.sessionId()) && inner.test(session);
		}
		return (session) -> true;
	}

	private BroadcastResult offer(Outbound message, Collection<DefaultSession> recipients,
			Predicate<? super Session> filter) {
		if (this.registry.isClosed()) {
			throw new HubClosedException(this.hubName);
		}
		long start = System.nanoTime();
		int offered = 0;
		int dropped = 0;
		for (DefaultSession session : recipients) {
			if (filter.test(session)) {
				SessionWriter.Offer offer = session.writer().offer(message);
				if (offer != SessionWriter.Offer.CLOSED) {
					offered++;
					dropped += offer.dropped();
				}
			}
		}
		this.metrics.recorder().broadcast(offered, System.nanoTime() - start);
		return new BroadcastResult(offered, dropped);
	}

}
