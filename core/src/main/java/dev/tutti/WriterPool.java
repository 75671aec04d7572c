package dev.tutti;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that drain the sessions of batching transports, whose sends block.
 * <p>
 * As many threads as CPUs run the drains: more would only start drains sooner and so
 * coalesce fewer messages into each write. A client that stops reading blocks its drain
 * for up to the write timeout, though, so {@link #rebalance()}, run by the heartbeat
 * every few milliseconds, adds a thread for every drain that has not finished since its
 * last run (up to {@value #MAX_EXTRA_THREADS} more) and lets them go again when those
 * drains end. Idle threads end after 30 seconds.
 */
final class WriterPool extends ThreadPoolExecutor {

	/** Most threads added for blocked drains. */
	static final int MAX_EXTRA_THREADS = 64;

	private final int baseThreads;

	private final Set<WriterThread> threads = ConcurrentHashMap.newKeySet();

	WriterPool(int baseThreads, String namePrefix) {
		super(baseThreads, baseThreads + MAX_EXTRA_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		this.baseThreads = baseThreads;
		AtomicInteger count = new AtomicInteger();
		setThreadFactory((task) -> {
			WriterThread thread = new WriterThread(task, namePrefix + count.incrementAndGet());
			this.threads.add(thread);
			return thread;
		});
		allowCoreThreadTimeOut(true);
	}

	/**
	 * Size the pool: one thread per CPU, plus one for every drain still running since the
	 * previous call.
	 */
	void rebalance() {
		int blocked = 0;
		for (Iterator<WriterThread> iterator = this.threads.iterator(); iterator.hasNext();) {
			WriterThread thread = iterator.next();
			if (thread.isAlive()) {
				blocked += thread.stillBusy() ? 1 : 0;
			}
			else {
				iterator.remove();
			}
		}
		int size = this.baseThreads + Math.min(blocked, MAX_EXTRA_THREADS);
		if (size != getCorePoolSize()) {
			setCorePoolSize(size);
		}
	}

	@Override
	protected void beforeExecute(Thread thread, Runnable task) {
		((WriterThread) thread).started();
	}

	@Override
	protected void afterExecute(Runnable task, Throwable failure) {
		((WriterThread) Thread.currentThread()).finished();
	}

	/**
	 * A writer thread that counts its drains, so that one still running at two successive
	 * checks can be told from a new one, without reading a clock per drain.
	 */
	private static final class WriterThread extends Thread {

		private volatile boolean busy;

		private volatile int drains;

		/** The drain count at the previous check; only {@link #rebalance()} uses it. */
		private int checked = -1;

		WriterThread(Runnable task, String name) {
			super(task, name);
			setDaemon(true);
		}

		// Only this thread writes drains; other threads only read it.
		@SuppressWarnings("NonAtomicVolatileUpdate")
		void started() {
			this.drains++;
			this.busy = true;
		}

		void finished() {
			this.busy = false;
		}

		/**
		 * Whether this thread is in the same drain as at the previous check.
		 */
		boolean stillBusy() {
			int drains = this.drains;
			boolean stillBusy = this.busy && drains == this.checked;
			this.checked = drains;
			return stillBusy;
		}

	}

}
