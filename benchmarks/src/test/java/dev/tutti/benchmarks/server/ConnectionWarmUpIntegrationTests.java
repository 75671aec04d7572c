package dev.tutti.benchmarks.server;

import dev.tutti.Hub;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shootout server started with {@code shootout.warm-up-connections}: the warm-up has
 * opened, echoed on and closed every connection, in several batches, before the
 * application was ready, and left the hub without sessions.
 */
@SpringBootTest(classes = { ShootoutApplication.class, TuttiShootoutConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "shootout.warm-up-connections=250", "shootout.warm-up-batch=100" })
class ConnectionWarmUpIntegrationTests {

	@Autowired
	ConnectionWarmUp warmUp;

	@Autowired
	HubStats stats;

	@Autowired
	@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME)
	Hub hub;

	@Test
	void opensEchoesAndClosesEveryConnectionAndLeavesTheHubEmpty() {
		ConnectionWarmUp.Result result = this.warmUp.result();
		assertThat(result).isNotNull();
		assertThat(result.completed()).isEqualTo(250);
		assertThat(result.failed()).isZero();
		assertThat(result.sessionsLeft()).isZero();
		assertThat(this.hub.size()).isZero();
		assertThat(this.stats.json(this.hub)).contains("\"sessions\":0", "\"connects\":250",
				"\"closes\":{\"1000\":250}");
	}

}
