package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.OverflowPolicy;
import dev.tutti.RateLimitExceededException;
import dev.tutti.RateLimitPolicy;
import dev.tutti.Session;
import dev.tutti.Target;
import dev.tutti.spring.autoconfigure.HubEndpoint;
import dev.tutti.test.HandshakeRefusedException;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admission and abuse limits against real clients: a hub's maximum of sessions, the
 * inbound rate limit under both policies, and the byte bound of the outbound buffer of a
 * client that does not read. Each limit has a hub of its own, all echoing.
 */
@SpringBootTest(classes = { IntegrationTestApplication.class, LimitsIntegrationTests.LimitedHubs.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class LimitsIntegrationTests {

	private static final int MAX_SESSIONS = 3;

	private static final int MEGABYTE = 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	@Qualifier("cappedHub")
	Hub capped;

	@Autowired
	@Qualifier("boundedHub")
	Hub bounded;

	@Autowired
	LimitedHubs hubs;

	private final List<TuttiTestClient> clients = new CopyOnWriteArrayList<>();

	private final List<RawWebSocketClient> rawClients = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeClients() throws IOException {
		this.clients.forEach(TuttiTestClient::close);
		for (RawWebSocketClient client : this.rawClients) {
			client.abort();
		}
		this.hubs.errors.clear();
		await().until(() -> this.capped.size() == 0 && this.bounded.size() == 0);
	}

	@Test
	void refusesHandshakesOverTheMaximumWith503AndAPlainTextReason() throws IOException {
		for (int i = 0; i < MAX_SESSIONS; i++) {
			connect("/capped");
		}
		double atCapacity = handshakes("capped", "at-capacity");
		RawWebSocketClient refused = RawWebSocketClient.connect(this.port, "/capped", Map.of(), 0);
		this.rawClients.add(refused);
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.responseHeaders().get("content-type")).startsWith("text/plain");
		assertThat(refused.readResponseBody()).isEqualTo("Hub 'capped' is at its maximum of 3 sessions");
		assertThat(handshakes("capped", "at-capacity")).isEqualTo(atCapacity + 1);
		this.clients.remove(0).close();
		await().until(() -> this.capped.size() < MAX_SESSIONS);
		connect("/capped");
	}

	@Test
	void concurrentHandshakesAdmitExactlyTheMaximum() {
		int attempts = 12;
		List<CompletableFuture<TuttiTestClient>> connecting = new ArrayList<>();
		for (int i = 0; i < attempts; i++) {
			connecting.add(TuttiTestClient.builder(uri("/capped")).connectAsync());
		}
		int refused = 0;
		for (CompletableFuture<TuttiTestClient> future : connecting) {
			try {
				this.clients.add(future.join());
			}
			catch (CompletionException ex) {
				assertThat(ex.getCause()).isInstanceOfSatisfying(HandshakeRefusedException.class,
						(refusal) -> assertThat(refusal.status()).isEqualTo(503));
				refused++;
			}
		}
		assertThat(this.clients).hasSize(MAX_SESSIONS);
		assertThat(refused).isEqualTo(attempts - MAX_SESSIONS);
		assertThat(this.capped.size()).isEqualTo(MAX_SESSIONS);
	}

	@Test
	void dropPolicyDropsMessagesOverTheLimitReportsAndCountsThem() {
		TuttiTestClient client = connect("/rate-drop");
		double rejected = rejected("rate-drop");
		for (int i = 1; i <= 5; i++) {
			client.sendText("m" + i);
		}
		await().until(() -> rejected("rate-drop") == rejected + 2);
		assertThat(client.awaitText()).isEqualTo("m1");
		assertThat(client.awaitText()).isEqualTo("m2");
		assertThat(client.awaitText()).isEqualTo("m3");
		assertThat(this.hubs.errors).hasSize(2)
			.allSatisfy((error) -> assertThat(error).isInstanceOfSatisfying(RateLimitExceededException.class,
					(ex) -> assertThat(ex.getPolicy()).isEqualTo(RateLimitPolicy.DROP)));
		assertThat(client.isOpen()).isTrue();
	}

	@Test
	void closePolicyClosesTheSessionWith1008() {
		TuttiTestClient client = connect("/rate-close");
		for (int i = 1; i <= 3; i++) {
			client.sendText("m" + i);
		}
		assertThat(client.awaitText()).isEqualTo("m1");
		assertThat(client.awaitText()).isEqualTo("m2");
		assertThat(client.assertClosedWith(1008).reason()).isEqualTo("Inbound rate limit exceeded");
		assertThat(this.hubs.errors).singleElement().isInstanceOf(RateLimitExceededException.class);
	}

	@Test
	void aClientThatDoesNotReadQueuesNoMoreThanTheByteBound() throws IOException {
		RawWebSocketClient stalled = RawWebSocketClient.connect(this.port, "/bounded", Map.of(), 4096);
		this.rawClients.add(stalled);
		assertThat(stalled.status()).isEqualTo(101);
		await().until(() -> this.bounded.size() == 1);
		double dropped = this.meters.get("tutti.messages.dropped")
			.tag("hub", "bounded")
			.tag("reason", "buffer-full")
			.counter()
			.count();
		byte[] payload = new byte[256 * 1024];
		double maxQueued = 0;
		for (int i = 0; i < 64; i++) {
			this.bounded.broadcastBinary(Target.all(), payload);
			maxQueued = Math.max(maxQueued,
					this.meters.get("tutti.outbound.queued.bytes").tag("hub", "bounded").gauge().value());
		}
		assertThat(maxQueued).isGreaterThan(0).isLessThanOrEqualTo(MEGABYTE);
		assertThat(this.meters.get("tutti.messages.dropped")
			.tag("hub", "bounded")
			.tag("reason", "buffer-full")
			.counter()
			.count()).isGreaterThan(dropped);
		assertThat(this.bounded.sessions()).singleElement().extracting(Session::isClosed).isEqualTo(false);
	}

	private TuttiTestClient connect(String path) {
		TuttiTestClient client = TuttiTestClient.connect(uri(path));
		this.clients.add(client);
		return client;
	}

	private URI uri(String path) {
		return URI.create("ws://localhost:" + this.port + path);
	}

	private double handshakes(String hub, String outcome) {
		return this.meters.get("tutti.handshakes").tag("hub", hub).tag("outcome", outcome).counter().count();
	}

	private double rejected(String hub) {
		return this.meters.get("tutti.messages.rejected")
			.tag("hub", hub)
			.tag("reason", "rate-limited")
			.counter()
			.count();
	}

	/**
	 * Echoing hubs with one limit each; the rates are so low that no token accrues while
	 * a test runs.
	 */
	@Configuration(proxyBeanMethods = false)
	static class LimitedHubs {

		final List<Throwable> errors = new CopyOnWriteArrayList<>();

		@Bean
		Hub cappedHub() {
			return echo(HubConfig.builder().name("capped").maxSessions(MAX_SESSIONS));
		}

		@Bean
		HubEndpoint cappedEndpoint(@Qualifier("cappedHub") Hub hub) {
			return new HubEndpoint("/capped", hub);
		}

		@Bean
		Hub rateDropHub() {
			return echo(HubConfig.builder()
				.name("rate-drop")
				.inboundMessagesPerSecond(0.001)
				.inboundBurst(3)
				.inboundRateLimitPolicy(RateLimitPolicy.DROP));
		}

		@Bean
		HubEndpoint rateDropEndpoint(@Qualifier("rateDropHub") Hub hub) {
			return new HubEndpoint("/rate-drop", hub);
		}

		@Bean
		Hub rateCloseHub() {
			return echo(HubConfig.builder()
				.name("rate-close")
				.inboundMessagesPerSecond(0.001)
				.inboundBurst(2)
				.inboundRateLimitPolicy(RateLimitPolicy.CLOSE));
		}

		@Bean
		HubEndpoint rateCloseEndpoint(@Qualifier("rateCloseHub") Hub hub) {
			return new HubEndpoint("/rate-close", hub);
		}

		/**
		 * A hub whose client may stall for long: the write timeout does not end the test
		 * before the buffer fills.
		 */
		@Bean
		Hub boundedHub() {
			return echo(HubConfig.builder()
				.name("bounded")
				.outboundBufferBytes(MEGABYTE)
				.overflowPolicy(OverflowPolicy.DROP_NEWEST)
				.writeTimeout(Duration.ofSeconds(30)));
		}

		@Bean
		HubEndpoint boundedEndpoint(@Qualifier("boundedHub") Hub hub) {
			return new HubEndpoint("/bounded", hub);
		}

		private Hub echo(HubConfig.Builder config) {
			Hub hub = Hub.create(config.build());
			hub.onMessage(Session::write);
			hub.onError((session, error) -> {
				if (error instanceof RateLimitExceededException) {
					this.errors.add(error);
				}
			});
			return hub;
		}

	}

}
