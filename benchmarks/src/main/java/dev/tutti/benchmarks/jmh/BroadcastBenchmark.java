package dev.tutti.benchmarks.jmh;

import java.util.concurrent.TimeUnit;

import dev.tutti.BroadcastResult;
import dev.tutti.Hub;
import dev.tutti.TuttiHubMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one broadcast to every session of a hub whose sessions write to a
 * {@link NoopConnection}: encoding once, offering to each session's queue and draining
 * it, with the hub's meters bound to a registry or not. The score is per broadcast;
 * divide by {@code sessions} for the cost per recipient, or compare the two sizes for the
 * cost of one more recipient. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is
 * the allocation per broadcast.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BroadcastBenchmark {

	private static final String MESSAGE = "{\"type\":\"broadcast\",\"payload\":{\"id\":1,\"sendTime\":1700000000000}}";

	/** Number of open sessions. */
	@Param({ "10", "1000", "10000" })
	public int sessions;

	/** Whether the hub's meters are bound to a registry. */
	@Param({ "false", "true" })
	public boolean metrics;

	private Hub hub;

	/**
	 * Open the sessions.
	 */
	@Setup(Level.Trial)
	public void openSessions() {
		this.hub = Hubs.create();
		if (this.metrics) {
			new TuttiHubMetrics(this.hub).bindTo(new SimpleMeterRegistry());
		}
		for (int i = 0; i < this.sessions; i++) {
			NoopConnection.connect(this.hub);
		}
	}

	/**
	 * Close the hub.
	 */
	@TearDown(Level.Trial)
	public void closeHub() {
		this.hub.close();
	}

	/**
	 * Broadcast one text message to every session.
	 * @return the broadcast's result
	 */
	@Benchmark
	public BroadcastResult broadcast() {
		return this.hub.broadcast(MESSAGE);
	}

}
