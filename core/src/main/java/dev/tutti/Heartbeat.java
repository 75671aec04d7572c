package dev.tutti;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat's tick: pings the sessions whose ping period has passed, closes those
 * whose pong or write timed out or whose fragmented inbound message takes longer than the
 * message assembly timeout, drops those whose upgrade never completed, and enforces the
 * write timeout of closed sessions still flushing their queue before the close frame.
 * Runs on the hub's one scheduler thread (see {@link HubThreads}), started with the first
 * session.
 * <p>
 * A tick is a quarter of the shortest of ping period, pong timeout, write timeout and
 * message assembly timeout, between 10 ms and 1 s, so timeouts are enforced within that
 * much of their value.
 * <p>
 * The heartbeat is also the writers' clock: {@link #now()} is read once per write, far
 * more often than {@link System#nanoTime()} needs to be, and lags it by at most a tick
 * (more only if the heartbeat thread is starved).
 */
final class Heartbeat {

	private static final System.Logger logger = System.getLogger(Heartbeat.class.getName());

	private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final SessionRegistry registry;

	private final HubThreads threads;

	private final long pingPeriodNanos;

	private final long pongTimeoutNanos;

	private final long assemblyTimeoutNanos;

	private final long tickNanos;

	/**
	 * The tick as a task, made once: the hub starts the heartbeat at every registration.
	 */
	private final Runnable ticker = this::tick;

	private volatile long now = System.nanoTime();

	Heartbeat(HubConfig config, SessionRegistry registry, HubThreads threads) {
		this.registry = registry;
		this.threads = threads;
		this.pingPeriodNanos = config.pingPeriod().toNanos();
		this.pongTimeoutNanos = config.pongTimeout().toNanos();
		this.assemblyTimeoutNanos = config.messageAssemblyTimeout().toNanos();
		long shortest = Math.min(Math.min(this.pingPeriodNanos, this.assemblyTimeoutNanos),
				Math.min(this.pongTimeoutNanos, config.writeTimeout().toNanos()));
		this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, shortest / 4));
	}

	/**
	 * Start ticking, unless the heartbeat runs already.
	 */
	void start() {
		this.threads.startHeartbeat(this.ticker, this.tickNanos);
	}

	/**
	 * Return the {@link System#nanoTime()} of the last tick.
	 */
	long now() {
		return this.now;
	}

	long tickNanos() {
		return this.tickNanos;
	}

	private void tick() {
		long now = System.nanoTime();
		this.now = now;
		for (DefaultSession session : this.registry.sessions()) {
			try {
				check(session, now);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Heartbeat of " + session + " failed", ex);
			}
		}
		for (DefaultSession session : this.registry.flushing()) {
			try {
				if (flushDone(session, now)) {
					this.registry.flushing().remove(session);
				}
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Heartbeat of closed " + session + " failed", ex);
			}
		}
	}

	/**
	 * Drop an open session whose upgrade never completed, close one whose write, pong or
	 * message assembly timed out (on a worker thread, since its handlers run), or ping it
	 * when due.
	 */
	private void check(DefaultSession session, long now) {
		if (session.isClosed()) {
			return;
		}
		if (!session.connection().isOpen()) {
			if (session.connection().upgradeOver(now)) {
				this.threads.worker().execute(session::abandon);
			}
		}
		else if (session.writer().writeTimedOut(now)) {
			this.threads.worker().execute(() -> session.abort(CloseStatus.WRITE_TIMEOUT));
		}
		else if (now - session.lastSeen() > this.pongTimeoutNanos) {
			this.threads.worker().execute(() -> session.abort(CloseStatus.PONG_TIMEOUT));
		}
		else if (session.assemblyTimedOut(now, this.assemblyTimeoutNanos)) {
			this.threads.worker().execute(session::abortAssembly);
		}
		else if (session.pingDue(now, this.pingPeriodNanos)) {
			session.writer().requestPing();
		}
	}

	/**
	 * Check a closed session that flushes its queue before the close frame: once a write
	 * times out, or its connection never opened, give up on the rest of the queue.
	 * @return whether the flush is over
	 */
	private boolean flushDone(DefaultSession session, long now) {
		if (!session.connection().isOpen()) {
			if (session.connection().upgradeOver(now)) {
				session.abandon();
				return true;
			}
			return false;
		}
		if (session.writer().isReleased()) {
			return true;
		}
		if (session.writer().writeTimedOut(now)) {
			session.abort(CloseStatus.WRITE_TIMEOUT);
			return true;
		}
		return false;
	}

}
