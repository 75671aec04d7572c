package dev.tutti.benchmarks.load;

import java.util.Arrays;
import java.util.BitSet;

import org.jspecify.annotations.Nullable;

/**
 * Delivery tracking of the broadcasts of one step: which client received which broadcast,
 * when each broadcast reached every client and its sender got the result.
 */
final class BroadcastStep {

	final long firstId;

	final int count;

	final int clients;

	int sent;

	int active;

	int completed;

	private final Tracked[] broadcasts;

	private final long[] roundTrips;

	private int roundTripCount;

	private int timedOut;

	/** No broadcast before this index is still in flight. */
	private int oldestActive;

	private long delivered;

	private long extra;

	private long wrongListenerCounts;

	private long firstSent;

	private long lastCompleted;

	private long deliveredBytes;

	private long dataFrames;

	private long dataMessages;

	BroadcastStep(long firstId, int count, int clients) {
		this.firstId = firstId;
		this.count = count;
		this.clients = clients;
		this.broadcasts = new Tracked[count];
		this.roundTrips = new long[count];
	}

	void started(long id, int sender, long now) {
		this.broadcasts[(int) (id - this.firstId)] = new Tracked(sender, now);
		if (this.sent == 0) {
			this.firstSent = now;
		}
		this.sent++;
		this.active++;
	}

	/**
	 * Record that a client received a broadcast message of the given size. One that is
	 * not of this step, or that the client already received, counts as extra.
	 */
	void delivered(long id, int client, int bytes, long now) {
		Tracked broadcast = find(id);
		if (broadcast == null) {
			this.extra++;
			return;
		}
		if (broadcast.received.get(client)) {
			this.extra++;
			return;
		}
		broadcast.received.set(client);
		broadcast.deliveries++;
		this.delivered++;
		this.deliveredBytes += bytes;
		completeIfDone(broadcast, now);
	}

	/**
	 * Record that a client received the result of a broadcast. A result that is not of
	 * this step, not for its sender, or repeated counts as extra.
	 */
	void resultReceived(long id, int client, int listenerCount, long now) {
		Tracked broadcast = find(id);
		if (broadcast == null || broadcast.resultReceived || client != broadcast.sender) {
			this.extra++;
			return;
		}
		broadcast.resultReceived = true;
		if (listenerCount != this.clients) {
			this.wrongListenerCounts++;
		}
		completeIfDone(broadcast, now);
	}

	/**
	 * Give up the broadcasts that have been in flight for longer than the timeout.
	 */
	void expire(long now, long timeoutNanos) {
		// Called on every poll: skip the finished broadcasts at the front.
		while (this.oldestActive < this.sent && this.broadcasts[this.oldestActive].done) {
			this.oldestActive++;
		}
		for (int i = this.oldestActive; i < this.sent; i++) {
			Tracked broadcast = this.broadcasts[i];
			if (!broadcast.done && now - broadcast.sentAt > timeoutNanos) {
				broadcast.done = true;
				this.timedOut++;
				finished(now);
			}
		}
	}

	int timedOut() {
		return this.timedOut;
	}

	/**
	 * Record how many data frames and complete data messages the clients received during
	 * the step, all messages included.
	 */
	void framesReceived(long frames, long messages) {
		this.dataFrames = frames;
		this.dataMessages = messages;
	}

	StepResult result(long elapsedNanos, ServerProbe.@Nullable CpuSample serverCpu, long clientTicks) {
		long missing = 0;
		for (int i = 0; i < this.sent; i++) {
			missing += this.clients - this.broadcasts[i].deliveries;
			missing += this.broadcasts[i].resultReceived ? 0 : 1;
		}
		missing += (long) (this.count - this.sent) * (this.clients + 1);
		long[] sorted = Arrays.copyOf(this.roundTrips, this.roundTripCount);
		Arrays.sort(sorted);
		long deliveryNanos = (this.lastCompleted > this.firstSent) ? this.lastCompleted - this.firstSent : elapsedNanos;
		return new StepResult(this.clients, this.count, this.roundTripCount, this.timedOut, percentile(sorted, 50),
				percentile(sorted, 95), percentile(sorted, 99), percentile(sorted, 100), this.delivered, deliveryNanos,
				missing, this.extra, this.wrongListenerCounts, serverCpu, clientTicks,
				(this.delivered > 0) ? this.deliveredBytes / this.delivered : 0,
				(this.dataMessages > 0) ? this.dataFrames / (double) this.dataMessages : -1);
	}

	private @Nullable Tracked find(long id) {
		long index = id - this.firstId;
		return (index >= 0 && index < this.sent) ? this.broadcasts[(int) index] : null;
	}

	private void completeIfDone(Tracked broadcast, long now) {
		if (!broadcast.done && broadcast.resultReceived && broadcast.deliveries == this.clients) {
			broadcast.done = true;
			this.roundTrips[this.roundTripCount++] = now - broadcast.sentAt;
			finished(now);
		}
	}

	private void finished(long now) {
		this.active--;
		this.completed++;
		this.lastCompleted = now;
	}

	private static long percentile(long[] sorted, int percent) {
		if (sorted.length == 0) {
			return -1;
		}
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static final class Tracked {

		final int sender;

		final long sentAt;

		final BitSet received = new BitSet();

		int deliveries;

		boolean resultReceived;

		boolean done;

		Tracked(int sender, long sentAt) {
			this.sender = sender;
			this.sentAt = sentAt;
		}

	}

}
