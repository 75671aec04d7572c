package dev.tutti.spring.actuate;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.tutti.Hub;

/**
 * What the endpoint and the health indicator share: the key each hub is known by, and its
 * state.
 */
final class Hubs {

	private Hubs() {
	}

	/**
	 * Key hubs by their names, or by their bean names where two hubs share a name. A hub
	 * registered under several bean names appears once, under the first.
	 * @param hubs the hubs by bean name
	 * @return the hubs by key, sorted
	 * @throws IllegalStateException if two hubs still have the same key: one hub's bean
	 * name is another hub's name
	 */
	static Map<String, Hub> byName(Map<String, Hub> hubs) {
		Set<Hub> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Map<String, Map<String, Hub>> byHubName = new LinkedHashMap<>();
		hubs.forEach((beanName, hub) -> {
			if (seen.add(hub)) {
				byHubName.computeIfAbsent(hub.config().name(), (name) -> new LinkedHashMap<>()).put(beanName, hub);
			}
		});
		Map<String, Hub> byName = new TreeMap<>();
		byHubName.forEach((name, named) -> named.forEach((beanName, hub) -> {
			String key = (named.size() == 1) ? name : beanName;
			if (byName.putIfAbsent(key, hub) != null) {
				throw new IllegalStateException("Two hubs are known as '" + key
						+ "', one by its name, one by its bean name: give each hub a distinct name");
			}
		}));
		return Collections.unmodifiableMap(byName);
	}

	/**
	 * Return a hub's state: {@code open}, {@code closing} (closed, with sessions still
	 * sending their queued messages and close frames) or {@code closed}.
	 * @param hub the hub
	 * @return the state
	 */
	static String state(Hub hub) {
		if (!hub.isClosed()) {
			return "open";
		}
		try {
			return hub.awaitTermination(Duration.ZERO) ? "closed" : "closing";
		}
		catch (InterruptedException ex) {
			// A zero timeout only checks, it does not wait
			Thread.currentThread().interrupt();
			return "closing";
		}
	}

}
