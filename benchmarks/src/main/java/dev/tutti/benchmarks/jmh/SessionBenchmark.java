package dev.tutti.benchmarks.jmh;

import java.util.concurrent.TimeUnit;

import dev.tutti.Hub;
import dev.tutti.Session;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of a session's attribute access and of writing one message to one session over
 * a {@link NoopConnection}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionBenchmark {

	private static final String MESSAGE = "{\"type\":\"echo\",\"payload\":{\"id\":1}}";

	private Hub hub;

	private Session session;

	private Integer value = 42;

	/**
	 * Open one session with a few attributes.
	 */
	@Setup(Level.Trial)
	public void openSession() {
		this.hub = Hubs.create();
		Session[] opened = new Session[1];
		this.hub.onConnect((session) -> opened[0] = session);
		NoopConnection.connect(this.hub);
		this.session = opened[0];
		this.session.set("user", "alice");
		this.session.set("room", "lobby");
		this.session.set("count", 1);
	}

	/**
	 * Close the hub.
	 */
	@TearDown(Level.Trial)
	public void closeHub() {
		this.hub.close();
	}

	/**
	 * Read an attribute.
	 * @return the value
	 */
	@Benchmark
	public @Nullable Object getAttribute() {
		return this.session.get("user");
	}

	/**
	 * Read an attribute with its type.
	 * @return the value
	 */
	@Benchmark
	public @Nullable String getTypedAttribute() {
		return this.session.get("user", String.class);
	}

	/**
	 * Replace an attribute.
	 */
	@Benchmark
	public void setAttribute() {
		this.session.set("count", this.value);
	}

	/**
	 * Write one text message to the session.
	 * @return whether it was queued
	 */
	@Benchmark
	public boolean write() {
		return this.session.write(MESSAGE);
	}

}
