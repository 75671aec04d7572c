package dev.tutti;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Who a broadcast goes to, expressed as data so that it can cross the wire to other
 * application instances: everyone, a room, a set of session ids, the sessions whose
 * attribute equals a value, and any of those minus one session.
 * <p>
 * What a target costs: a room visits its members only, session ids look up each id, and
 * everything else, {@link #attributeEquals(String, Object)} included, visits every
 * session of the hub (attributes are not indexed; use a room for groups that are targeted
 * often).
 * <p>
 * A {@code Predicate<Session>} broadcast
 * ({@link Hub#broadcastLocal(java.util.function.Predicate, String)}) cannot be expressed
 * as a target and only reaches the sessions of this hub.
 * <p>
 * Immutable and thread-safe.
 */
public sealed interface Target permits Target.All, Target.Room, Target.Sessions, Target.AttributeEquals, Target.Except {

	/**
	 * Target every session.
	 * @return the target
	 */
	static Target all() {
		return All.INSTANCE;
	}

	/**
	 * Target the members of a room.
	 * @param name the room name
	 * @return the target
	 */
	static Target room(String name) {
		return new Room(name);
	}

	/**
	 * Target the sessions with the given ids.
	 * @param ids the session ids
	 * @return the target
	 */
	static Target sessions(Collection<String> ids) {
		return new Sessions(Set.copyOf(ids));
	}

	/**
	 * Target the sessions whose attribute equals a value. For a cluster, use values that
	 * encode as JSON scalars (strings, numbers, booleans).
	 * @param key the attribute key
	 * @param value the value the attribute must equal
	 * @return the target
	 */
	static Target attributeEquals(String key, Object value) {
		return new AttributeEquals(key, value);
	}

	/**
	 * Target the sessions with the given ids. An id given twice counts once.
	 * @param ids the session ids
	 * @return the target
	 */
	static Target sessions(String... ids) {
		return new Sessions(Set.copyOf(Arrays.asList(ids)));
	}

	/**
	 * Target every session but one.
	 * @param sessionId the id of the session to leave out
	 * @return the target
	 */
	static Target allExcept(String sessionId) {
		return all().except(sessionId);
	}

	/**
	 * Target every session but one, such as the sender.
	 * @param session the session to leave out
	 * @return the target
	 */
	static Target allExcept(Session session) {
		return all().except(session);
	}

	/**
	 * Return this target minus one session, such as the sender of a room message.
	 * @param sessionId the id of the session to leave out
	 * @return the narrowed target
	 */
	default Target except(String sessionId) {
		return new Except(this, sessionId);
	}

	/**
	 * Return this target minus one session, such as the sender of a room message.
	 * @param session the session to leave out
	 * @return the narrowed target
	 */
	default Target except(Session session) {
		return except(session.id());
	}

	/**
	 * Every session.
	 */
	enum All implements Target {

		/** The only instance. */
		INSTANCE

	}

	/**
	 * The members of a room.
	 *
	 * @param name the room name
	 */
	record Room(String name) implements Target {

		/**
		 * Create the target.
		 * @param name the room name
		 */
		public Room {
			Objects.requireNonNull(name, "name");
		}

	}

	/**
	 * The sessions with the given ids.
	 *
	 * @param ids the session ids
	 */
	record Sessions(Set<String> ids) implements Target {

		/**
		 * Create the target.
		 * @param ids the session ids
		 */
		public Sessions {
			ids = Set.copyOf(ids);
		}

	}

	/**
	 * The sessions whose attribute equals a value.
	 *
	 * @param key the attribute key
	 * @param value the value
	 */
	record AttributeEquals(String key, Object value) implements Target {

		/**
		 * Create the target.
		 * @param key the attribute key
		 * @param value the value
		 */
		public AttributeEquals {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(value, "value");
		}

	}

	/**
	 * Another target minus one session.
	 *
	 * @param target the target to narrow
	 * @param sessionId the id of the session to leave out
	 */
	record Except(Target target, String sessionId) implements Target {

		/**
		 * Create the target.
		 * @param target the target to narrow
		 * @param sessionId the id of the session to leave out
		 */
		public Except {
			Objects.requireNonNull(target, "target");
			Objects.requireNonNull(sessionId, "sessionId");
		}

	}

}
