package dev.tutti.spring.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A Redis server of a test's own, started from the {@code redis-server} binary on a free
 * port and driven with {@code redis-cli}, so that a test may kill, stop and restart it
 * without touching the shared Redis on 6379.
 */
final class RedisServer implements AutoCloseable {

	private final int port;

	private final Path directory;

	private final List<String> options;

	private Process process;

	private RedisServer(int port, Path directory, List<String> options) {
		this.port = port;
		this.directory = directory;
		this.options = options;
		this.process = launch();
	}

	/**
	 * Whether the {@code redis-server} and {@code redis-cli} binaries are on the path.
	 */
	static boolean available() {
		return onPath("redis-server") && onPath("redis-cli");
	}

	/**
	 * Whether a Redis answers on a port of 127.0.0.1.
	 */
	static boolean answers(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] reply = new byte[16];
			int read = socket.getInputStream().read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Start a server on a free port.
	 */
	static RedisServer start(String... options) {
		try {
			Path directory = Files.createTempDirectory("tutti-redis");
			return new RedisServer(freePort(), directory, List.of(options));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	/**
	 * Run a command with {@code redis-cli} and return its output.
	 */
	String cli(String... command) {
		return run(this.port, command);
	}

	/**
	 * Stop the server at once, without saving.
	 */
	void stop() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start the server again on the same port.
	 */
	void restart() {
		this.process = launch();
	}

	@Override
	public void close() {
		stop();
	}

	private Process launch() {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
		this.options.forEach(command::add);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> "PONG".equals(cli("PING")));
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String run(int port, String... command) {
		List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
		line.addAll(List.of(command));
		try {
			Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			process.waitFor(10, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean onPath(String binary) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, binary))) {
				return true;
			}
		}
		return false;
	}

}
