package dev.tutti;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HubConfig#concurrentMessageHandling()}.
 */
class ConcurrentMessageHandlingTests {

	private Hub hub;

	private final ExecutorService reader = Executors.newSingleThreadExecutor();

	@AfterEach
	void closeHub() {
		this.reader.shutdownNow();
		if (this.hub != null) {
			this.hub.close();
		}
	}

	@Test
	void handlesMessagesOfOneSessionConcurrentlyWhenEnabled() throws Exception {
		this.hub = Hub.create(HubConfig.builder().concurrentMessageHandling(true).build());
		CountDownLatch release = new CountDownLatch(1);
		List<String> handled = new CopyOnWriteArrayList<>();
		this.hub.onMessage((session, text) -> {
			if (text.equals("slow")) {
				release.await();
			}
			handled.add(text);
		});
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		connection.listener().onText("slow", true);
		connection.listener().onText("fast", true);
		await().untilAsserted(() -> assertThat(handled).containsExactly("fast"));
		release.countDown();
		await().untilAsserted(() -> assertThat(handled).containsExactly("fast", "slow"));
	}

	@Test
	void handlesBinaryMessagesOfOneSessionConcurrentlyWhenEnabled() throws Exception {
		this.hub = Hub.create(HubConfig.builder().concurrentMessageHandling(true).build());
		CountDownLatch release = new CountDownLatch(1);
		List<Byte> handled = new CopyOnWriteArrayList<>();
		this.hub.onBinaryMessage((session, data) -> {
			if (data[0] == 1) {
				release.await();
			}
			handled.add(data[0]);
		});
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		connection.listener().onBinary(ByteBuffer.wrap(new byte[] { 1 }), true);
		connection.listener().onBinary(ByteBuffer.wrap(new byte[] { 2 }), true);
		await().untilAsserted(() -> assertThat(handled).containsExactly((byte) 2));
		release.countDown();
		await().untilAsserted(() -> assertThat(handled).containsExactly((byte) 2, (byte) 1));
	}

	@Test
	void handlesMessagesOfOneSessionOneAtATimeByDefault() throws Exception {
		this.hub = Hub.create();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger maxRunning = new AtomicInteger();
		List<String> handled = new CopyOnWriteArrayList<>();
		this.hub.onMessage((session, text) -> {
			maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
			if (text.equals("0")) {
				started.countDown();
				release.await();
			}
			handled.add(text);
			running.decrementAndGet();
		});
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		Future<?> reading = this.reader.submit(() -> {
			for (int i = 0; i < 100; i++) {
				connection.listener().onText(String.valueOf(i), true);
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(handled).isEmpty();
		assertThat(reading).isNotDone();
		release.countDown();
		reading.get(5, TimeUnit.SECONDS);
		assertThat(handled).hasSize(100);
		for (int i = 0; i < 100; i++) {
			assertThat(handled.get(i)).isEqualTo(String.valueOf(i));
		}
		assertThat(maxRunning).hasValue(1);
	}

}
