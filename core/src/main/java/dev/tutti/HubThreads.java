package dev.tutti;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Every thread of a hub: the workers, the writers and the heartbeat's scheduler. All are
 * daemon threads named after the hub; pool threads end after 30 idle seconds. The hub
 * shuts them all down once it is closed and every session has terminated.
 * <p>
 * Thread-safe.
 */
final class HubThreads {

	/**
	 * Threads that send pings and close frames on asynchronous transports (the container
	 * may block on those) and run concurrent message handlers.
	 */
	private static final int WORKER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

	/**
	 * Threads that drain the sessions of batching transports, one per CPU (see
	 * {@link WriterPool}).
	 */
	private static final int WRITER_THREADS = Runtime.getRuntime().availableProcessors();

	/** How often the writer pool looks for drains blocked on slow clients. */
	private static final long WRITER_CHECK_MILLIS = 50;

	private final String namePrefix;

	private final ThreadPoolExecutor worker;

	private final WriterPool writers;

	/**
	 * The heartbeat's scheduler, once started: volatile, so that the registrations after
	 * the first see it without taking this object's lock.
	 */
	private volatile @Nullable ScheduledThreadPoolExecutor scheduler;

	private boolean shutdown;

	HubThreads(String hubName) {
		this.namePrefix = "tutti-" + hubName + "-";
		this.worker = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), daemonThreads(this.namePrefix + "worker-"));
		this.worker.allowCoreThreadTimeOut(true);
		this.writers = new WriterPool(WRITER_THREADS, this.namePrefix + "writer-");
	}

	Executor worker() {
		return this.worker;
	}

	Executor writers() {
		return this.writers;
	}

	WriterPool writerPool() {
		return this.writers;
	}

	/**
	 * Start the heartbeat, unless it runs already or the threads are shut down. Called at
	 * every registration: once the heartbeat runs, it takes no lock.
	 * @param tick the heartbeat's tick
	 * @param tickNanos the interval between ticks
	 */
	void startHeartbeat(Runnable tick, long tickNanos) {
		if (this.scheduler == null) {
			start(tick, tickNanos);
		}
	}

	// Both tasks run until shutdown() and catch their own failures; nothing waits on them
	@SuppressWarnings("FutureReturnValueIgnored")
	private synchronized void start(Runnable tick, long tickNanos) {
		if (this.scheduler != null || this.shutdown) {
			return;
		}
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				daemonThreads(this.namePrefix + "heartbeat-"));
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.scheduleWithFixedDelay(tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
		scheduler.scheduleWithFixedDelay(this.writers::rebalance, WRITER_CHECK_MILLIS, WRITER_CHECK_MILLIS,
				TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	/**
	 * Stop every thread once its current task is done.
	 */
	synchronized void shutdown() {
		this.shutdown = true;
		ScheduledThreadPoolExecutor scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
		this.worker.shutdown();
		this.writers.shutdown();
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
