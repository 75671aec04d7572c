package dev.tutti;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TuttiObservations}: handshakes and handled messages are observations
 * with low-cardinality key values only.
 */
class TuttiObservationsTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final Hub hub = Hub.create(HubConfig.builder().name("chat").build());

	TuttiObservationsTests() {
		this.hub.onError((session, error) -> {
		});
		TuttiObservations.observe(this.hub, this.registry);
	}

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void aTextMessageIsObservedAndItsHandlersSeeTheObservation() {
		AtomicReference<@Nullable Observation> current = new AtomicReference<>();
		this.hub.onMessage((session, text) -> current.set(this.registry.getCurrentObservation()));
		new TestConnection().open(this.hub).onText("hello", true);

		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("tutti.message")
			.that()
			.hasContextualNameEqualTo("tutti message")
			.hasLowCardinalityKeyValue("hub", "chat")
			.hasLowCardinalityKeyValue("type", "text")
			.hasBeenStarted()
			.hasBeenStopped()
			.doesNotHaveError();
		assertThat(current.get()).isNotNull();
		assertThat(current.get().getContext()).isInstanceOf(TuttiObservations.MessageContext.class);
	}

	@Test
	void aBinaryMessageIsObservedAsBinary() {
		this.hub.onBinaryMessage((session, bytes) -> {
		});
		new TestConnection().open(this.hub).onBinary(ByteBuffer.wrap(new byte[] { 1, 2 }), true);

		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("tutti.message")
			.that()
			.hasLowCardinalityKeyValue("type", "binary")
			.hasBeenStopped();
	}

	@Test
	void aHandlerThatThrowsMarksTheObservationWithTheError() {
		IllegalStateException failure = new IllegalStateException("boom");
		this.hub.onMessage((session, text) -> {
			throw failure;
		});
		new TestConnection().open(this.hub).onText("hello", true);

		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("tutti.message")
			.that()
			.hasError(failure)
			.hasBeenStopped();
	}

	@Test
	void handshakesAreObservedWithTheirOutcomeAndTheRequestAsCarrier() {
		new TestConnection().open(this.hub);
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("tutti.handshake")
			.that()
			.hasLowCardinalityKeyValue("hub", "chat")
			.hasLowCardinalityKeyValue("outcome", "accepted")
			.hasBeenStopped()
			.satisfies((context) -> {
				TuttiObservations.HandshakeContext handshake = (TuttiObservations.HandshakeContext) context;
				assertThat(handshake.hubName()).isEqualTo("chat");
				assertThat(handshake.getGetter().get(handshake.getCarrier(), "Origin")).isEqualTo("http://localhost");
			});
	}

	@Test
	void refusedHandshakesAreObservedWithTheirOutcome() {
		this.hub.onHandshake((request) -> HandshakeResult.reject(401, "no"));
		new TestConnection().handshake(this.hub);
		this.hub.close();
		new TestConnection().handshake(this.hub);

		TestObservationRegistryAssert.assertThat(this.registry)
			.hasNumberOfObservationsWithNameEqualTo("tutti.handshake", 2)
			.hasAnObservationWithAKeyValue("outcome", "rejected")
			.hasAnObservationWithAKeyValue("outcome", "hub-closed");
	}

	@Test
	void noKeyValueCarriesASessionOrAnAddress() {
		List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context);
			}

		});
		this.hub.onMessage((session, text) -> {
		});
		new TestConnection().open(this.hub).onText("hello", true);
		assertThat(stopped).hasSize(2).allSatisfy((context) -> {
			assertThat(context.getHighCardinalityKeyValues()).isEmpty();
			assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
				.isSubsetOf("hub", "type", "outcome");
		});
	}

	@Test
	void aNoopRegistryLeavesTheHubUnobserved() {
		TuttiObservations.observe(this.hub, ObservationRegistry.NOOP);
		assertThat(this.hub.handlers().observer()).isSameAs(HubObserver.NONE);
	}

}
