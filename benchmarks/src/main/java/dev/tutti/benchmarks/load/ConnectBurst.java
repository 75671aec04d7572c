package dev.tutti.benchmarks.load;

import java.util.Arrays;

/**
 * What became of connects started all at once ({@link ClientPool#connectAtOnce}).
 * Immutable.
 */
final class ConnectBurst {

	private final int issued;

	private final int opened;

	private final int failed;

	private final int timedOut;

	private final long issueNanos;

	private final long allOpenNanos;

	private final long elapsedNanos;

	private final long[] latencies;

	/**
	 * Describe a burst of connects.
	 * @param issued the number of connects started
	 * @param opened the number that opened: upgrade response received
	 * @param failed the number refused, reset or answered with anything but a valid 101
	 * @param timedOut the number still connecting or handshaking at the timeout
	 * @param issueNanos the time it took to start every connect
	 * @param allOpenNanos the time from the first connect until the last upgrade response
	 * @param elapsedNanos the time from the first connect until every connect opened,
	 * failed or timed out
	 * @param latencies the time from connect to upgrade response of each opened
	 * connection, in nanoseconds, in no particular order; not copied
	 */
	ConnectBurst(int issued, int opened, int failed, int timedOut, long issueNanos, long allOpenNanos,
			long elapsedNanos, long[] latencies) {
		this.issued = issued;
		this.opened = opened;
		this.failed = failed;
		this.timedOut = timedOut;
		this.issueNanos = issueNanos;
		this.allOpenNanos = allOpenNanos;
		this.elapsedNanos = elapsedNanos;
		this.latencies = latencies;
	}

	static ConnectBurst none() {
		return new ConnectBurst(0, 0, 0, 0, 0, 0, 0, new long[0]);
	}

	int issued() {
		return this.issued;
	}

	int opened() {
		return this.opened;
	}

	int failed() {
		return this.failed;
	}

	int timedOut() {
		return this.timedOut;
	}

	long issueNanos() {
		return this.issueNanos;
	}

	long allOpenNanos() {
		return this.allOpenNanos;
	}

	long elapsedNanos() {
		return this.elapsedNanos;
	}

	/**
	 * Return this burst and another as one: counts and latencies added, times added too
	 * (for bursts that ran one after the other).
	 */
	ConnectBurst plus(ConnectBurst other) {
		long[] both = Arrays.copyOf(this.latencies, this.latencies.length + other.latencies.length);
		System.arraycopy(other.latencies, 0, both, this.latencies.length, other.latencies.length);
		return new ConnectBurst(this.issued + other.issued, this.opened + other.opened, this.failed + other.failed,
				this.timedOut + other.timedOut, this.issueNanos + other.issueNanos,
				this.allOpenNanos + other.allOpenNanos, this.elapsedNanos + other.elapsedNanos, both);
	}

	/**
	 * Return a percentile of the connect-to-upgrade latencies in milliseconds, or -1 if
	 * none opened.
	 * @param percent the percentile, 100 for the maximum
	 */
	double latencyMillis(int percent) {
		if (this.latencies.length == 0) {
			return -1;
		}
		long[] sorted = this.latencies.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)] / 1e6;
	}

}
