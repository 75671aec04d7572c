package dev.tutti.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.tutti.Hub;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every {@link Hub} bean of the application context when the context stops, before
 * the web server does: clients get what was queued for them, then a close frame with 1001
 * (going away), instead of a dropped connection.
 * <p>
 * Stops in phase {@link #PHASE}, {@code SmartLifecycle.DEFAULT_PHASE - 512}. Spring stops
 * lifecycles in descending phase order, and Spring Boot shuts the web server down
 * gracefully in {@link WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}
 * ({@code DEFAULT_PHASE - 1024}) and stops it in
 * {@link WebServerApplicationContext#START_STOP_LIFECYCLE_PHASE}
 * ({@code DEFAULT_PHASE - 2048}). So the hubs close while the server still serves their
 * connections, and after the components in the default phase, such as schedulers and
 * message listener containers that may feed them broadcasts, have stopped.
 * <p>
 * On stop, it first {@link Hub#close() closes} every singleton hub, which refuses new
 * handshakes and closes each session with 1001 once its queued messages are written, and
 * then waits for all of them with {@link Hub#awaitTermination(Duration)} for at most the
 * shutdown timeout in total ({@code tutti.shutdown-timeout}), logging a hub that did not
 * finish in time. Closing is final: a context that is stopped and started again keeps its
 * hubs closed. A {@linkplain #isPauseable() pause} leaves them open.
 * <p>
 * Thread-safe.
 */
public final class TuttiHubLifecycle implements SmartLifecycle {

	/**
	 * The {@link SmartLifecycle#getPhase() phase} in which the hubs are closed: after the
	 * default phase, before the web server's graceful shutdown.
	 */
	public static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512;

	private static final Log logger = LogFactory.getLog(TuttiHubLifecycle.class);

	private final ObjectProvider<Hub> hubs;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	/**
	 * Create a lifecycle that closes the given hubs.
	 * @param hubs the hubs, looked up when the lifecycle stops; only singletons are
	 * closed
	 * @param shutdownTimeout how long to wait in total for the hubs' sessions to close
	 */
	public TuttiHubLifecycle(ObjectProvider<Hub> hubs, Duration shutdownTimeout) {
		this.hubs = Objects.requireNonNull(hubs, "hubs");
		this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
	}

	/**
	 * Mark the lifecycle running. The hubs are open from their creation.
	 */
	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Close every hub and wait for their sessions' close frames, for at most the shutdown
	 * timeout. Returns early if the calling thread is interrupted, keeping its interrupt
	 * status.
	 */
	@Override
	public void stop() {
		this.running = false;
		List<Hub> hubs = this.hubs.orderedStream((type) -> true, false).toList();
		hubs.forEach(Hub::close);
		long start = System.nanoTime();
		for (Hub hub : hubs) {
			try {
				if (!hub.awaitTermination(this.shutdownTimeout.minusNanos(System.nanoTime() - start))) {
					logger.warn("Hub '" + hub.config().name() + "' did not close all its sessions within "
							+ this.shutdownTimeout + " (tutti.shutdown-timeout); the server drops the rest");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Return {@code false}: closing the hubs cannot be undone, so a pause of the context
	 * leaves them open.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

}
