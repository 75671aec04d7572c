package dev.tutti.spring.cluster;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.tutti.Hub;
import dev.tutti.Session;
import dev.tutti.redis.RedisBackplane;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.test.TuttiTestClient;
import dev.tutti.test.TuttiTestClientBuilder;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One application instance of a test cluster, on an embedded Tomcat of its own, with its
 * own hub and Redis backplane, and the test clients connected to it.
 */
final class ClusterNode implements AutoCloseable {

	private final String name;

	private final ConfigurableApplicationContext context;

	private final List<TuttiTestClient> clients = new ArrayList<>();

	private ClusterNode(String name, ConfigurableApplicationContext context) {
		this.name = name;
		this.context = context;
	}

	/**
	 * Start a node.
	 * @param name the node id
	 * @param prefix the cluster's channel prefix
	 * @param properties more properties, such as the Redis connection
	 */
	static ClusterNode start(String name, String prefix, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "tutti.cluster.backplane=redis",
				"tutti.cluster.node-id=" + name, "tutti.cluster.channel-prefix=" + prefix,
				"tutti.cluster.heartbeat-period=100ms", "tutti.cluster.publish-timeout=5s",
				"tutti.outbound-buffer-size=10000", "tutti.write-timeout=60s", "spring.data.redis.timeout=5s",
				"management.health.redis.enabled=false", "spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterTestApplication.class)
			.properties(all.toArray(new String[0]))
			.run();
		return new ClusterNode(name, context);
	}

	String name() {
		return this.name;
	}

	Hub hub() {
		return this.context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class);
	}

	RedisBackplane backplane() {
		return this.context.getBean(RedisBackplane.class);
	}

	List<Throwable> backplaneErrors() {
		return this.context.getBean(ClusterTestApplication.Errors.class).list();
	}

	Status health() {
		return Objects.requireNonNull(this.context.getBean("tuttiHealthIndicator", HealthIndicator.class).health())
			.getStatus();
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/**
	 * Connect a client and wait until its session is open and in its room.
	 */
	TuttiTestClient connect(String client, Map<String, String> parameters) {
		int port = Integer
			.parseInt(Objects.requireNonNull(this.context.getEnvironment().getProperty("local.server.port")));
		TuttiTestClientBuilder builder = TuttiTestClient.builder(URI.create("ws://localhost:" + port + "/ws"))
			.queryParameter("client", client);
		parameters.forEach(builder::queryParameter);
		TuttiTestClient connected = builder.connect();
		this.clients.add(connected);
		String room = parameters.get("room");
		org.awaitility.Awaitility.await().until(() -> {
			Session session = session(client);
			return session != null && (room == null || session.rooms().contains(room));
		});
		return connected;
	}

	/**
	 * Return the open session of a client, or null.
	 */
	Session session(String client) {
		return hub().sessions()
			.stream()
			.filter((session) -> client.equals(session.get("client")))
			.findFirst()
			.orElse(null);
	}

	/**
	 * Stop the way a crashed instance does for the cluster: its Redis connections go away
	 * before it can withdraw from the counts.
	 */
	void crash() {
		this.context.getBean(LettuceConnectionFactory.class).stop();
		close();
	}

	@Override
	public void close() {
		this.clients.forEach(TuttiTestClient::close);
		this.context.close();
	}

	@Override
	public String toString() {
		return this.name;
	}

}
