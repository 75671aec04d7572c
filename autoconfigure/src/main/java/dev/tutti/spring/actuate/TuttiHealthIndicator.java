package dev.tutti.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tutti.Backplane;
import dev.tutti.Hub;
import dev.tutti.HubConfig;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@link HealthIndicator} of the application's {@link Hub hubs}: {@link Status#UP} while
 * every hub is open, {@link Status#OUT_OF_SERVICE} once one is closed, as at shutdown
 * while its sessions drain, so that a load balancer stops sending new clients. Its
 * details hold, under {@code hubs}, one entry per hub by name: its {@code state}
 * ({@code open}, {@code closing} or {@code closed}) and its number of {@code sessions};
 * for a hub in a cluster, its {@code backplane}: this instance's {@code node} id and
 * whether it is {@code connected}. An open hub whose backplane is disconnected makes the
 * status {@link Status#DOWN}: its broadcasts reach this instance's sessions only.
 * <p>
 * Hubs are known by their names ({@link HubConfig#name()}); hubs that share a name are
 * known by their bean names instead.
 * <p>
 * Thread-safe.
 */
public class TuttiHealthIndicator extends AbstractHealthIndicator {

	private final Map<String, Hub> hubs;

	/**
	 * Create an indicator.
	 * @param hubs the hubs to report on, by bean name
	 * @throws IllegalStateException if two hubs cannot be told apart: one hub's bean name
	 * is the name of another
	 */
	public TuttiHealthIndicator(Map<String, Hub> hubs) {
		super("Tutti health check failed");
		this.hubs = Hubs.byName(hubs);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Status status = Status.UP;
		Map<String, Object> details = new LinkedHashMap<>();
		for (Map.Entry<String, Hub> entry : this.hubs.entrySet()) {
			Hub hub = entry.getValue();
			Backplane backplane = hub.backplane();
			if (hub.isClosed()) {
				if (status != Status.DOWN) {
					status = Status.OUT_OF_SERVICE;
				}
			}
			else if (backplane != null && !backplane.isConnected()) {
				status = Status.DOWN;
			}
			details.put(entry.getKey(), details(hub));
		}
		builder.status(status).withDetail("hubs", details);
	}

	private static Map<String, Object> details(Hub hub) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", Hubs.state(hub));
		details.put("sessions", hub.size());
		Backplane backplane = hub.backplane();
		if (backplane != null) {
			Map<String, Object> cluster = new LinkedHashMap<>();
			cluster.put("node", backplane.nodeId());
			cluster.put("connected", backplane.isConnected());
			details.put("backplane", cluster);
		}
		return details;
	}

}
