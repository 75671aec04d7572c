package dev.tutti.benchmarks.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tutti.Hub;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Warms the connection path up as the server starts, so that the clients that connect
 * first do not meet a cold JIT compiler: when the application is ready, opens a number of
 * WebSocket connections to the hub's own path on the loopback address, a batch at a time,
 * sends an echo request on each and waits for its reply, closes them, waits until the hub
 * has no session left, and logs how long it took. Runs on the thread that publishes the
 * event, before the application's {@code run} returns. Does nothing for 0 connections.
 * Not thread-safe: one warm-up at a time.
 */
final class ConnectionWarmUp implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(ConnectionWarmUp.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String REQUEST = "{\"type\":\"echo\",\"payload\":\"warm-up\"}";

	private final Hub hub;

	private final String path;

	private final int connections;

	private final int batch;

	private @Nullable Result result;

	/**
	 * @param hub the hub whose path is warmed up
	 * @param path the hub's path, such as {@code /ws}
	 * @param connections how many connections to open and close; 0 for none
	 * @param batch how many connections are open at once
	 * @throws IllegalArgumentException if {@code connections} is negative or
	 * {@code batch} is not positive
	 */
	ConnectionWarmUp(Hub hub, String path, int connections, int batch) {
		if (connections < 0) {
			throw new IllegalArgumentException(
					"shootout.warm-up-connections must not be negative, but was " + connections);
		}
		if (batch < 1) {
			throw new IllegalArgumentException("shootout.warm-up-batch must be positive, but was " + batch);
		}
		this.hub = hub;
		this.path = path;
		this.connections = connections;
		this.batch = batch;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.connections == 0) {
			return;
		}
		Integer port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", Integer.class);
		if (port == null) {
			logger.warn("Connection warm-up skipped: the server's port is unknown");
			return;
		}
		URI uri = URI.create("ws://127.0.0.1:" + port + this.path);
		Result result = run(uri);
		this.result = result;
		String message = String.format(Locale.ROOT,
				"Connection warm-up: %d connections to %s in batches of %d opened, echoed and closed in %d ms "
						+ "(%d failed), hub empty after %d ms more (%d sessions left)",
				result.completed(), uri, this.batch, result.connectionsMillis(), result.failed(), result.drainMillis(),
				result.sessionsLeft());
		if (result.failed() > 0 || result.sessionsLeft() > 0) {
			logger.warn(message);
		}
		else {
			logger.info(message);
		}
	}

	/**
	 * Return what the last warm-up did.
	 * @return the result, or {@code null} if no warm-up ran
	 */
	@Nullable Result result() {
		return this.result;
	}

	private Result run(URI uri) {
		ExecutorService executor = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "connection-warm-up");
			thread.setDaemon(true);
			return thread;
		});
		try {
			HttpClient client = HttpClient.newBuilder().executor(executor).connectTimeout(TIMEOUT).build();
			long started = System.nanoTime();
			int completed = 0;
			int failed = 0;
			for (int done = 0; done < this.connections; done += this.batch) {
				int size = Math.min(this.batch, this.connections - done);
				List<CompletableFuture<?>> closed = new ArrayList<>(size);
				for (int i = 0; i < size; i++) {
					closed.add(echoAndClose(client, uri));
				}
				for (CompletableFuture<?> connection : closed) {
					if (await(connection)) {
						completed++;
					}
					else {
						failed++;
					}
				}
			}
			long connected = System.nanoTime();
			long deadline = connected + TIMEOUT.toNanos();
			while (this.hub.size() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			long drained = System.nanoTime();
			return new Result(completed, failed, this.hub.size(), (connected - started) / 1_000_000,
					(drained - connected) / 1_000_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Connection warm-up interrupted", ex);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static CompletableFuture<?> echoAndClose(HttpClient client, URI uri) {
		EchoListener listener = new EchoListener();
		return client.newWebSocketBuilder()
			.buildAsync(uri, listener)
			.thenCompose((webSocket) -> webSocket.sendText(REQUEST, true))
			.thenCompose((webSocket) -> listener.reply)
			.thenCompose((webSocket) -> webSocket.sendClose(WebSocket.NORMAL_CLOSURE, ""))
			.thenCompose((webSocket) -> listener.closed);
	}

	private static boolean await(CompletableFuture<?> connection) throws InterruptedException {
		try {
			connection.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException | TimeoutException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Connection warm-up: a connection failed", ex);
			}
			return false;
		}
	}

	/**
	 * What a warm-up did.
	 *
	 * @param completed the connections that were opened, echoed and closed
	 * @param failed the connections that failed or timed out
	 * @param sessionsLeft the hub's sessions when the warm-up stopped waiting for it to
	 * have none
	 * @param connectionsMillis how long opening, echoing and closing took
	 * @param drainMillis how long the hub took afterwards to have no session left
	 */
	record Result(int completed, int failed, int sessionsLeft, long connectionsMillis, long drainMillis) {

	}

	/**
	 * Completes {@link #reply} with the first text message and {@link #closed} with the
	 * server's close frame.
	 */
	private static final class EchoListener implements WebSocket.Listener {

		final CompletableFuture<WebSocket> reply = new CompletableFuture<>();

		final CompletableFuture<Void> closed = new CompletableFuture<>();

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			if (last) {
				this.reply.complete(webSocket);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(null);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.reply.completeExceptionally(error);
			this.closed.completeExceptionally(error);
		}

	}

}
