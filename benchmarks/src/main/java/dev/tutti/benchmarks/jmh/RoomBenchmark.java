package dev.tutti.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.tutti.BroadcastResult;
import dev.tutti.Hub;
import dev.tutti.Room;
import dev.tutti.Session;
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
 * Room fan-out in a hub of 10,000 sessions writing to {@link NoopConnection}s: a
 * broadcast to one room of {@code members} sessions should cost in proportion to the
 * room, not to the hub; and one session joining and leaving a room.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoomBenchmark {

	private static final int SESSIONS = 10_000;

	private static final String MESSAGE = "{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"hello\"}";

	/** Number of sessions in the room. */
	@Param({ "10", "1000" })
	public int members;

	private Hub hub;

	private Room room;

	private Session outsider;

	/**
	 * Open the sessions and put the first {@code members} of them in the room.
	 */
	@Setup(Level.Trial)
	public void openSessions() {
		this.hub = Hubs.create();
		for (int i = 0; i < SESSIONS; i++) {
			NoopConnection.connect(this.hub);
		}
		List<Session> sessions = new ArrayList<>(this.hub.sessions());
		sessions.subList(0, this.members).forEach((session) -> session.join("lobby"));
		this.room = this.hub.room("lobby");
		this.outsider = sessions.get(SESSIONS - 1);
	}

	/**
	 * Close the hub.
	 */
	@TearDown(Level.Trial)
	public void closeHub() {
		this.hub.close();
	}

	/**
	 * Broadcast one text message to the room.
	 * @return the broadcast's result
	 */
	@Benchmark
	public BroadcastResult broadcastToRoom() {
		return this.room.broadcast(MESSAGE);
	}

	/**
	 * One session joins the room and leaves it again.
	 * @return whether it left
	 */
	@Benchmark
	public boolean joinAndLeave() {
		this.outsider.join("lobby");
		return this.outsider.leave("lobby");
	}

}
