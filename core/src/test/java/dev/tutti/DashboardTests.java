package dev.tutti;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the Grafana dashboard in {@code observability/} queries only metrics that
 * the hub's meters publish to Prometheus, under the names Prometheus gives them.
 */
class DashboardTests {

	private static final Path DASHBOARD = Path.of("..", "observability", "tutti-dashboard.json");

	@Test
	void everyMetricTheDashboardQueriesIsPublished() throws IOException {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		Hub hub = Hub.create();
		try {
			new TuttiHubMetrics(hub).bindTo(registry);
			TestConnection connection = new TestConnection().autoPong();
			connection.open(hub);
			connection.listener().onText("hello", true);
			connection.listener().onPong(ByteBuffer.allocate(0));
			hub.broadcast("hi");
			String scrape = registry.scrape();
			Set<String> queried = queriedMetrics();
			assertThat(queried).hasSizeGreaterThan(10);
			assertThat(queried).allSatisfy((metric) -> assertThat(scrape).as("published metric %s", metric)
				.containsPattern("(?m)^" + Pattern.quote(metric) + "[{ ]"));
			assertThat(scrape).contains("tutti_sessions_active{", "tutti_messages_sent_total{");
		}
		finally {
			hub.close();
		}
	}

	private static Set<String> queriedMetrics() throws IOException {
		Set<String> metrics = new TreeSet<>();
		Matcher matcher = Pattern.compile("tutti_[a-z_]+").matcher(Files.readString(DASHBOARD));
		while (matcher.find()) {
			metrics.add(matcher.group());
		}
		return metrics;
	}

}
