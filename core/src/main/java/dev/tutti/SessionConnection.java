package dev.tutti;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

import dev.tutti.transport.Connection;
import org.jspecify.annotations.Nullable;

/**
 * The connection end of one session: pending from the accepted handshake until the
 * transport opens the upgrade (or gives up on it, or the pong timeout passes), then open,
 * then closed, at which point the session has terminated.
 * <p>
 * Thread-safe.
 */
final class SessionConnection {

	private static final System.Logger logger = System.getLogger(SessionConnection.class.getName());

	private static final int PENDING = 0;

	private static final int OPENED = 1;

	private static final int ABANDONED = 2;

	private static final VarHandle UPGRADE;

	static {
		try {
			UPGRADE = MethodHandles.lookup().findVarHandle(SessionConnection.class, "upgrade", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final DefaultSession session;

	/** When an upgrade that has not opened yet is given up. */
	private final long upgradeDeadline;

	/**
	 * {@link #PENDING} (as initialised: no store of it needed), {@link #OPENED} or
	 * {@link #ABANDONED}, through {@link #UPGRADE}.
	 */
	private volatile int upgrade;

	/** Created when someone waits for the termination, or completed empty. */
	private @Nullable CompletableFuture<Void> terminated;

	private boolean hasTerminated;

	private @Nullable Connection connection;

	/** The close status of a session closed before its connection opened. */
	private @Nullable CloseStatus closeWhenOpened;

	/**
	 * Create the connection state of a session whose upgrade begins.
	 * @param session the session
	 * @param upgradeDeadline the {@link System#nanoTime()} after which an upgrade that
	 * has not opened is given up
	 */
	SessionConnection(DefaultSession session, long upgradeDeadline) {
		this.session = session;
		this.upgradeDeadline = upgradeDeadline;
	}

	/**
	 * Attach the open connection.
	 * @return {@code true} if the session goes on; {@code false} if it was aborted while
	 * pending, in which case the connection is being closed
	 * @throws IllegalStateException if the upgrade was already opened or abandoned
	 */
	boolean open(Connection connection) {
		if (!UPGRADE.compareAndSet(this, PENDING, OPENED)) {
			throw new IllegalStateException("The upgrade of " + this.session + " was already opened or abandoned");
		}
		CloseStatus closeNow;
		synchronized (this) {
			this.connection = connection;
			closeNow = this.closeWhenOpened;
		}
		if (closeNow != null) {
			close(closeNow);
			return false;
		}
		return true;
	}

	/**
	 * Give up on a pending upgrade.
	 * @return {@code true} if the upgrade was pending
	 */
	boolean abandon() {
		if (UPGRADE.compareAndSet(this, PENDING, ABANDONED)) {
			terminate();
			return true;
		}
		return false;
	}

	synchronized boolean isOpen() {
		return this.connection != null;
	}

	/**
	 * Whether the upgrade is still pending past its deadline, or was abandoned.
	 * @param now a {@link System#nanoTime()}
	 */
	boolean upgradeOver(long now) {
		return this.upgrade != PENDING || now - this.upgradeDeadline > 0;
	}

	synchronized @Nullable InetSocketAddress localAddress() {
		return (this.connection != null) ? this.connection.localAddress() : null;
	}

	/**
	 * Send the close frame and close the connection, on a worker thread since the
	 * transport may block; for a connection that has not opened yet, as soon as it opens
	 * (the heartbeat watches it meanwhile).
	 */
	void close(CloseStatus status) {
		Connection connection;
		synchronized (this) {
			connection = this.connection;
			if (connection == null) {
				this.closeWhenOpened = status;
			}
		}
		if (connection == null) {
			this.session.registry().flushing().add(this.session);
			return;
		}
		this.session.threads().worker().execute(() -> {
			try {
				connection.close(status.code(), status.reason());
			}
			catch (RuntimeException ex) {
				logger.log(Level.DEBUG, () -> "Closing " + this.session + " failed: " + ex);
			}
			finally {
				terminate();
			}
		});
	}

	/**
	 * Record that the transport reported the connection closed.
	 */
	void closed() {
		terminate();
	}

	/**
	 * Return a stage completed once the connection is closed or its close frame was sent,
	 * or the upgrade was given up.
	 */
	synchronized CompletableFuture<Void> terminated() {
		CompletableFuture<Void> terminated = this.terminated;
		if (terminated == null) {
			terminated = new CompletableFuture<>();
			if (this.hasTerminated) {
				terminated.complete(null);
			}
			this.terminated = terminated;
		}
		return terminated;
	}

	private void terminate() {
		CompletableFuture<Void> terminated;
		synchronized (this) {
			this.hasTerminated = true;
			terminated = this.terminated;
		}
		if (terminated != null) {
			terminated.complete(null);
		}
	}

}
