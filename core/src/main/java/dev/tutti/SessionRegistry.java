package dev.tutti;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;

import org.jspecify.annotations.Nullable;

/**
 * The sessions of a hub: the registry by id, the rooms, the closed sessions still
 * flushing their queue before the close frame, the lifecycle lock that keeps a
 * registration from racing the hub's close, and the admission count that keeps the number
 * of sessions within the hub's maximum. Registering and unregistering are O(1).
 * <p>
 * A handshake first {@link #reserve() reserves} a place, then either
 * {@link #register(DefaultSession) registers} its session in it or {@link #cancel()
 * cancels} it; the place is freed when the session is unregistered. So of N concurrent
 * handshakes against M free places exactly M are admitted.
 * <p>
 * Thread-safe.
 */
final class SessionRegistry {

	private final String hubName;

	private final Map<String, DefaultSession> sessions = new ConcurrentHashMap<>();

	private final RoomIndex rooms = new RoomIndex();

	private final Set<DefaultSession> flushing = ConcurrentHashMap.newKeySet();

	/**
	 * Registrations share it, the close takes it alone. Not reentrant, and cheaper than a
	 * {@code ReentrantReadWriteLock}, whose read lock keeps a count per thread (a
	 * thread-local lookup on each lock and unlock, with a worker thread per handshake).
	 */
	private final StampedLock lifecycleLock = new StampedLock();

	private final Runnable onRegister;

	private final int maxSessions;

	/** Places taken: registered sessions and handshakes that reserved one. */
	private final AtomicInteger admitted = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * Create a registry.
	 * @param hubName the hub's name, for exception messages
	 * @param onRegister runs with every registration, under the lifecycle lock, so that
	 * what it starts (the heartbeat) cannot miss the hub's close
	 * @param maxSessions the most sessions admitted at once, or
	 * {@link HubConfig#UNLIMITED_SESSIONS}
	 */
	SessionRegistry(String hubName, Runnable onRegister, int maxSessions) {
		this.hubName = hubName;
		this.onRegister = onRegister;
		this.maxSessions = (maxSessions == HubConfig.UNLIMITED_SESSIONS) ? Integer.MAX_VALUE : maxSessions;
	}

	/**
	 * Reserve a place for a session, if the maximum leaves one.
	 * @return {@code false} if the hub holds its maximum of sessions
	 */
	boolean reserve() {
		int admitted;
		do {
			admitted = this.admitted.get();
			if (admitted >= this.maxSessions) {
				return false;
			}
		}
		while (!this.admitted.compareAndSet(admitted, admitted + 1));
		return true;
	}

	/**
	 * Free a reserved place whose handshake did not register a session.
	 */
	void cancel() {
		this.admitted.decrementAndGet();
	}

	/**
	 * Register a session in the place its handshake {@link #reserve() reserved}.
	 * @throws HubClosedException if the hub is closed; the place is then still reserved
	 */
	void register(DefaultSession session) {
		long stamp = this.lifecycleLock.readLock();
		try {
			if (this.closed) {
				throw new HubClosedException(this.hubName);
			}
			this.sessions.put(session.id(), session);
			this.onRegister.run();
		}
		finally {
			this.lifecycleLock.unlockRead(stamp);
		}
	}

	void unregister(DefaultSession session) {
		if (this.sessions.remove(session.id(), session)) {
			this.admitted.decrementAndGet();
		}
	}

	/**
	 * Mark the hub closed, so that no session registers any more.
	 * @return the sessions registered at that moment and the closed ones still flushing,
	 * or {@code null} if the hub was closed already
	 */
	@Nullable List<DefaultSession> close() {
		long stamp = this.lifecycleLock.writeLock();
		try {
			if (this.closed) {
				return null;
			}
			this.closed = true;
		}
		finally {
			this.lifecycleLock.unlockWrite(stamp);
		}
		List<DefaultSession> open = new ArrayList<>(this.sessions.values());
		open.addAll(this.flushing);
		return open;
	}

	boolean isClosed() {
		return this.closed;
	}

	@Nullable DefaultSession get(String id) {
		return this.sessions.get(id);
	}

	Collection<DefaultSession> sessions() {
		return this.sessions.values();
	}

	int size() {
		return this.sessions.size();
	}

	RoomIndex rooms() {
		return this.rooms;
	}

	/**
	 * Return the closed sessions whose writer still flushes before the close frame; the
	 * heartbeat enforces their write timeout.
	 */
	Set<DefaultSession> flushing() {
		return this.flushing;
	}

}
