package dev.tutti.spring.autoconfigure;

import dev.tutti.spring.actuate.TuttiEndpoint;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@link TuttiEndpoint tutti actuator endpoint}
 * ({@code management.endpoint.tutti.*}). Its exposure and access follow the actuator's
 * own properties, such as {@code management.endpoints.web.exposure.include} and
 * {@code management.endpoint.tutti.access}.
 */
@ConfigurationProperties("management.endpoint.tutti")
public class TuttiEndpointProperties {

	/**
	 * Number of sessions in each of the endpoint's lists of sessions that need attention
	 * (deepest outbound queues, longest silences, most dropped messages), per hub.
	 */
	private int topSessions = 10;

	public int getTopSessions() {
		return this.topSessions;
	}

	public void setTopSessions(int topSessions) {
		this.topSessions = topSessions;
	}

}
