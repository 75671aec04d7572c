package dev.tutti;

import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * One scheduler thread per hub that, on each tick, pings the sessions whose ping period
 * has passed and closes those whose pong or write timed out, including closed sessions
 * still flushing their queue before the close frame. Every 50 ms it also lets the writer
 * pool replace drains blocked on slow clients. Started with the first session; once
 * stopped it runs on until no closed session is flushing.
 * <p>
 * A tick is a quarter of the shortest of ping period, pong timeout and write timeout,
 * between 10 ms and 1 s, so timeouts are enforced within that much of their value.
 * <p>
 * The heartbeat is also the writers' clock: {@link #now()} is read once per write, far
 * more often than {@link System#nanoTime()} needs to be, and lags it by at most a tick
 * (more only if the heartbeat thread is starved).
 */
final class Heartbeat {

	private static final System.Logger logger = System.getLogger(Heartbeat.class.getName());

	private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** How often the writer pool looks for blocked drains. */
	private static final long WRITER_CHECK_MILLIS = 50;

	private final Hub hub;

	private final long pingPeriodNanos;

	private final long pongTimeoutNanos;

	private final long tickNanos;

	private @Nullable ScheduledThreadPoolExecutor scheduler;

	private volatile boolean stopped;

	private volatile long now = System.nanoTime();

	Heartbeat(Hub hub) {
		HubConfig config = hub.config();
		this.hub = hub;
		this.pingPeriodNanos = config.pingPeriod().toNanos();
		this.pongTimeoutNanos = config.pongTimeout().toNanos();
		long shortest = Math.min(this.pingPeriodNanos,
				Math.min(this.pongTimeoutNanos, config.writeTimeout().toNanos()));
		this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, shortest / 4));
	}

	synchronized void start() {
		if (this.scheduler != null || this.stopped) {
			return;
		}
		this.now = System.nanoTime();
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				daemonThreads("tutti-" + this.hub.config().name() + "-heartbeat-"));
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.scheduleWithFixedDelay(this::tick, this.tickNanos, this.tickNanos, TimeUnit.NANOSECONDS);
		scheduler.scheduleWithFixedDelay(this.hub.writers()::rebalance, WRITER_CHECK_MILLIS, WRITER_CHECK_MILLIS,
				TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	synchronized void stop() {
		this.stopped = true;
		if (this.scheduler != null && this.hub.flushingSessions().isEmpty()) {
			this.scheduler.shutdownNow();
		}
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
		for (DefaultSession session : this.hub.registeredSessions()) {
			try {
				session.heartbeat(now, this.pingPeriodNanos, this.pongTimeoutNanos);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Heartbeat of " + session + " failed", ex);
			}
		}
		for (DefaultSession session : this.hub.flushingSessions()) {
			try {
				if (session.flushDone(now)) {
					this.hub.flushingSessions().remove(session);
				}
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Heartbeat of closed " + session + " failed", ex);
			}
		}
		if (this.stopped) {
			stop();
		}
	}

	static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
