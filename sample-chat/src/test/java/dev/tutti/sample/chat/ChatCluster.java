package dev.tutti.sample.chat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.tutti.Codec;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Assumptions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Two instances of the chat sharing the Redis on 127.0.0.1:6379 under a channel and key
 * prefix of their own, each on an embedded Tomcat of its own, as the {@code cluster}
 * profile runs them.
 */
final class ChatCluster implements AutoCloseable {

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final String prefix;

	private ChatCluster(String prefix) {
		this.prefix = prefix;
		try {
			this.instances.add(start(prefix));
			this.instances.add(start(prefix));
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Start two instances, or skip the test when no Redis answers on 127.0.0.1:6379.
	 */
	static ChatCluster start() {
		assumeRedis();
		return new ChatCluster("tutti-chat-test-" + UUID.randomUUID());
	}

	/**
	 * Skip the test, saying why, when no Redis answers on 127.0.0.1:6379.
	 */
	static void assumeRedis() {
		Assumptions.assumeTrue(redisAnswers(),
				"No Redis answers on 127.0.0.1:6379 (.ci/run starts one): skipping the tests of several instances");
	}

	/**
	 * Start one more instance of the same cluster, which the caller stops.
	 */
	ConfigurableApplicationContext startAnother() {
		return start(this.prefix);
	}

	int port(int instance) {
		return this.instances.get(instance).getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	String page(int instance) {
		return "http://localhost:" + port(instance) + "/";
	}

	TuttiTestClient connect(int instance) {
		Codec codec = this.instances.get(instance).getBean(Codec.class);
		return TuttiTestClient.builder(URI.create("ws://localhost:" + port(instance) + "/ws")).codec(codec).connect();
	}

	/**
	 * Stop the instances and delete what they left in Redis (the rooms' history).
	 */
	@Override
	public void close() {
		if (!this.instances.isEmpty()) {
			StringRedisTemplate redis = this.instances.get(0).getBean(StringRedisTemplate.class);
			String keys = this.instances.get(0).getEnvironment().getRequiredProperty("chat.redis.key-prefix") + ":*";
			this.instances.subList(1, this.instances.size()).forEach(ConfigurableApplicationContext::close);
			Set<String> left = redis.keys(keys);
			if (!left.isEmpty()) {
				redis.delete(left);
			}
			this.instances.get(0).close();
		}
	}

	private static ConfigurableApplicationContext start(String prefix) {
		// arguments, since the profile's own properties would override default properties
		return new SpringApplicationBuilder(SampleChatApplication.class).profiles("cluster")
			.run("--server.port=0", "--tutti.cluster.channel-prefix=" + prefix,
					"--tutti.cluster.heartbeat-period=200ms", "--spring.main.banner-mode=off");
	}

	private static boolean redisAnswers() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] reply = new byte[16];
			int read = socket.getInputStream().read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
