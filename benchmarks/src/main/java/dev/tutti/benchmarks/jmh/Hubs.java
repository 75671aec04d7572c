package dev.tutti.benchmarks.jmh;

import java.time.Duration;

import dev.tutti.Hub;
import dev.tutti.HubConfig;

/**
 * Hubs for the benchmarks: heartbeats far apart, so that no session times out during a
 * run.
 */
final class Hubs {

	private Hubs() {
	}

	static Hub create() {
		return Hub.create(HubConfig.builder()
			.name("benchmark")
			.pingPeriod(Duration.ofDays(1))
			.pongTimeout(Duration.ofDays(2))
			.build());
	}

}
