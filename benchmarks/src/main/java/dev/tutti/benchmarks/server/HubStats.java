package dev.tutti.benchmarks.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.tutti.CloseStatus;
import dev.tutti.Hub;

/**
 * What the benchmark reads from the Tutti server over HTTP ({@code GET /shootout/hub}):
 * the hub's open sessions and room entries, and what ended its sessions and went wrong in
 * them (close statuses and error types, counted), so that a run can check that nothing is
 * left after churn and learn how a stalled client ended. Optionally puts every session in
 * one of a few rooms, so that room entries exist to be left behind. Thread-safe.
 */
final class HubStats {

	private final int rooms;

	private final AtomicLong connects = new AtomicLong();

	private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

	/**
	 * @param rooms how many rooms sessions join in turn when they connect; 0 for none
	 */
	HubStats(int rooms) {
		this.rooms = rooms;
	}

	/**
	 * Register the handlers that count and join rooms.
	 * @param hub the hub
	 */
	void register(Hub hub) {
		hub.onConnect((session) -> {
			long index = this.connects.getAndIncrement();
			if (this.rooms > 0) {
				session.join("room-" + (index % this.rooms));
			}
		});
		hub.onDisconnect((session, status) -> count(this.closes, describe(status)));
		hub.onError((session, error) -> count(this.errors, error.getClass().getSimpleName()));
	}

	/**
	 * Return the statistics of a hub as a JSON object.
	 * @param hub the hub
	 * @return {@code {"sessions":..,"rooms":..,"roomEntries":..,"closes":{..},"errors":{..}}}
	 */
	String json(Hub hub) {
		Map<String, Integer> rooms = hub.rooms();
		int entries = rooms.values().stream().mapToInt(Integer::intValue).sum();
		return "{\"sessions\":" + hub.size() + ",\"rooms\":" + rooms.size() + ",\"roomEntries\":" + entries
				+ ",\"connects\":" + this.connects.get() + ",\"closes\":" + json(this.closes) + ",\"errors\":"
				+ json(this.errors) + "}";
	}

	private static String describe(CloseStatus status) {
		String reason = status.reason().replace(' ', '-');
		return reason.isEmpty() ? String.valueOf(status.code()) : status.code() + "-" + reason;
	}

	private static void count(Map<String, LongAdder> counts, String key) {
		counts.computeIfAbsent(key, (k) -> new LongAdder()).increment();
	}

	private static String json(Map<String, LongAdder> counts) {
		StringBuilder json = new StringBuilder("{");
		new TreeMap<>(counts).forEach((key, count) -> {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append('"').append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append("\":").append(count.sum());
		});
		return json.append('}').toString();
	}

}
