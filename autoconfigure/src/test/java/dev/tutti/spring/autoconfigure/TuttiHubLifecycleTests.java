package dev.tutti.spring.autoconfigure;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.CloseStatus;
import dev.tutti.HandshakeRequest;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TuttiHubLifecycle}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TuttiHubLifecycleTests {

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final Hub chat = Hub.create(HubConfig.builder().name("chat").build());

	private final Hub feed = Hub.create(HubConfig.builder().name("feed").build());

	TuttiHubLifecycleTests() {
		this.beanFactory.registerSingleton("chat", this.chat);
		this.beanFactory.registerSingleton("feed", this.feed);
	}

	@AfterEach
	void closeHubs() {
		this.chat.close();
		this.feed.close();
	}

	@Test
	void stopsAfterTheDefaultPhaseAndBeforeTheWebServersGracefulShutdown() {
		TuttiHubLifecycle lifecycle = lifecycle(Duration.ofSeconds(10));
		assertThat(lifecycle.getPhase()).isEqualTo(TuttiHubLifecycle.PHASE)
			.isLessThan(SmartLifecycle.DEFAULT_PHASE)
			.isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
			.isGreaterThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
		assertThat(lifecycle.isAutoStartup()).isTrue();
		assertThat(lifecycle.isPauseable()).isFalse();
	}

	@Test
	void runsFromStartToStop() {
		TuttiHubLifecycle lifecycle = lifecycle(Duration.ofSeconds(10));
		assertThat(lifecycle.isRunning()).isFalse();
		lifecycle.start();
		assertThat(lifecycle.isRunning()).isTrue();
		assertThat(this.chat.isClosed()).isFalse();
		lifecycle.stop();
		assertThat(lifecycle.isRunning()).isFalse();
	}

	@Test
	void stopClosesEveryHubAndWaitsForTheCloseFrames() {
		TestConnection chatConnection = new TestConnection();
		open(this.chat, chatConnection);
		TestConnection feedConnection = new TestConnection();
		open(this.feed, feedConnection);
		TuttiHubLifecycle lifecycle = lifecycle(Duration.ofSeconds(10));
		lifecycle.start();
		lifecycle.stop();
		assertThat(this.chat.isClosed()).isTrue();
		assertThat(this.feed.isClosed()).isTrue();
		assertThat(chatConnection.closes).containsExactly(CloseStatus.GOING_AWAY);
		assertThat(feedConnection.closes).containsExactly(CloseStatus.GOING_AWAY);
	}

	@Test
	void stopClosesEveryHubBeforeWaitingForAny() {
		AtomicBoolean feedClosedWhileChatClosing = new AtomicBoolean();
		open(this.chat, new TestConnection().onClose(() -> {
			try {
				await().atMost(Duration.ofSeconds(1)).until(this.feed::isClosed);
				feedClosedWhileChatClosing.set(true);
			}
			catch (ConditionTimeoutException ex) {
				// The lifecycle waits for the chat hub before closing the feed hub
			}
		}));
		TuttiHubLifecycle lifecycle = lifecycle(Duration.ofSeconds(10));
		lifecycle.start();
		lifecycle.stop();
		assertThat(feedClosedWhileChatClosing).isTrue();
	}

	@Test
	void stopWaitsNoLongerThanTheShutdownTimeout(CapturedOutput output) throws Exception {
		TestConnection stalled = new TestConnection().holdClose();
		open(this.chat, stalled);
		TestConnection other = new TestConnection();
		open(this.feed, other);
		TuttiHubLifecycle lifecycle = lifecycle(Duration.ofMillis(300));
		try {
			lifecycle.start();
			long start = System.nanoTime();
			lifecycle.stop();
			Duration stopped = Duration.ofNanos(System.nanoTime() - start);
			assertThat(stopped).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(5));
			assertThat(this.chat.awaitTermination(Duration.ZERO)).isFalse();
			assertThat(output).contains("Hub 'chat' did not close all its sessions within PT0.3S")
				.doesNotContain("Hub 'feed'");
		}
		finally {
			stalled.releaseClose();
		}
		assertThat(this.chat.awaitTermination(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void stopReturnsWhenInterruptedAndKeepsTheInterruptStatus() throws Exception {
		TestConnection stalled = new TestConnection().holdClose();
		open(this.chat, stalled);
		TuttiHubLifecycle lifecycle = lifecycle(Duration.ofSeconds(30));
		try {
			lifecycle.start();
			Thread.currentThread().interrupt();
			long start = System.nanoTime();
			lifecycle.stop();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			assertThat(Thread.interrupted()).isTrue();
			assertThat(this.chat.isClosed()).isTrue();
			assertThat(this.feed.isClosed()).isTrue();
		}
		finally {
			Thread.interrupted();
			stalled.releaseClose();
		}
	}

	@Test
	void stopCreatesNoHubs() {
		AtomicInteger created = new AtomicInteger();
		BeanDefinition prototype = BeanDefinitionBuilder.genericBeanDefinition(Hub.class, () -> {
			created.incrementAndGet();
			return Hub.create();
		}).setScope(BeanDefinition.SCOPE_PROTOTYPE).getBeanDefinition();
		this.beanFactory.registerBeanDefinition("prototypeHub", prototype);
		TuttiHubLifecycle lifecycle = lifecycle(Duration.ofSeconds(10));
		lifecycle.start();
		lifecycle.stop();
		assertThat(created).hasValue(0);
		assertThat(this.chat.isClosed()).isTrue();
	}

	private TuttiHubLifecycle lifecycle(Duration shutdownTimeout) {
		return new TuttiHubLifecycle(this.beanFactory.getBeanProvider(Hub.class), shutdownTimeout);
	}

	private static void open(Hub hub, TestConnection connection) {
		hub.handshake(new HandshakeRequest(URI.create("ws://localhost/ws"), Map.of(), null, null)).open(connection);
	}

	/**
	 * A connection whose sends complete at once and whose close call runs a hook and
	 * returns, or, once {@link #holdClose()} was called, not until
	 * {@link #releaseClose()}, as for a client that stopped reading.
	 */
	static final class TestConnection implements Connection {

		final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

		private final CountDownLatch closeReleased = new CountDownLatch(1);

		private volatile boolean holdClose;

		private volatile Runnable onClose = () -> {
		};

		TestConnection onClose(Runnable onClose) {
			this.onClose = onClose;
			return this;
		}

		TestConnection holdClose() {
			this.holdClose = true;
			return this;
		}

		void releaseClose() {
			this.closeReleased.countDown();
		}

		@Override
		public void sendText(String text, SendCallback callback) {
			callback.completed(null);
		}

		@Override
		public void sendBinary(ByteBuffer data, SendCallback callback) {
			callback.completed(null);
		}

		@Override
		public void sendPing(ByteBuffer data, SendCallback callback) {
			callback.completed(null);
		}

		@Override
		public void close(int code, String reason) {
			this.closes.add(new CloseStatus(code, reason));
			this.onClose.run();
			if (this.holdClose) {
				try {
					this.closeReleased.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		@Override
		public @Nullable InetSocketAddress localAddress() {
			return null;
		}

	}

}
