package dev.tutti;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds the meters of one {@link Hub} to a Micrometer registry. Every meter is tagged
 * with {@code hub} (the hub's name); other tags come from small fixed sets, never a
 * session id, user, room or address. Counts of sessions and messages carry no base unit,
 * so that Prometheus names them plainly ({@code tutti_sessions_active},
 * {@code tutti_messages_sent_total}); byte counts are in bytes and timers in seconds.
 * <p>
 * The hub records per broadcast, per drain (one write of a session's batch) and per
 * session event, never per recipient: a broadcast to a thousand sessions costs a counter,
 * a summary and a timer update. See the README's Metrics section for every meter.
 * <p>
 * Thread-safe. Binding a hub a second time replaces the registry it records to.
 */
public final class TuttiHubMetrics implements MeterBinder {

	/** The reasons of {@code tutti.sessions.closed}. */
	static final List<String> CLOSE_REASONS = List.of("normal", "going-away", "pong-timeout", "write-timeout",
			"overflow", "rate-limited", "message-too-big", "protocol-error", "connection-lost", "server-shutdown",
			"other");

	/** The outcomes of {@code tutti.handshakes}. */
	static final List<String> HANDSHAKE_OUTCOMES = List.of("accepted", "rejected", "origin-refused", "at-capacity",
			"hub-closed");

	/** The reasons of {@code tutti.messages.dropped}. */
	static final List<String> DROP_REASONS = List.of("buffer-full", "session-closed", "write-failed");

	/** The reasons of {@code tutti.messages.rejected}. */
	static final List<String> REJECT_REASONS = List.of("rate-limited");

	/** The handler kinds of {@code tutti.handler.errors}. */
	static final List<String> HANDLERS = List.of("connect", "message", "binary-message", "disconnect", "close", "sent",
			"pong", "join", "leave");

	private final Hub hub;

	private final Iterable<Tag> tags;

	/**
	 * Create a binder for a hub.
	 * @param hub the hub
	 */
	public TuttiHubMetrics(Hub hub) {
		this(hub, List.of());
	}

	/**
	 * Create a binder for a hub that adds tags to every meter.
	 * @param hub the hub
	 * @param tags more tags, such as the application's
	 */
	public TuttiHubMetrics(Hub hub, Iterable<Tag> tags) {
		this.hub = hub;
		this.tags = tags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Tags tags = Tags.of("hub", this.hub.config().name()).and(this.tags);
		Gauge.builder("tutti.sessions.active", this.hub, Hub::size)
			.tags(tags)
			.description("Open sessions, including those whose connection is opening")
			.register(registry);
		Gauge.builder("tutti.outbound.queued", this.hub, TuttiHubMetrics::queued)
			.tags(tags)
			.description("Messages waiting in the outbound buffers of all sessions")
			.register(registry);
		Gauge.builder("tutti.outbound.queued.bytes", this.hub, TuttiHubMetrics::queuedBytes)
			.tags(tags)
			.description("Payload bytes waiting in the outbound buffers of all sessions (UTF-8 for text)")
			.baseUnit(BaseUnits.BYTES)
			.register(registry);
		Gauge.builder("tutti.rooms.active", this.hub, (hub) -> hub.registry().rooms().count())
			.tags(tags)
			.description("Rooms that have members")
			.register(registry);
		sent(registry, tags, "tutti.messages.sent", "text", SessionWriter.TEXTS, null,
				"Outbound messages written, counted per recipient");
		sent(registry, tags, "tutti.messages.sent", "binary", SessionWriter.BINARIES, null,
				"Outbound messages written, counted per recipient");
		sent(registry, tags, "tutti.messages.sent.bytes", "text", SessionWriter.TEXT_BYTES, BaseUnits.BYTES,
				"Payload bytes of outbound messages written (UTF-8 for text)");
		sent(registry, tags, "tutti.messages.sent.bytes", "binary", SessionWriter.BINARY_BYTES, BaseUnits.BYTES,
				"Payload bytes of outbound messages written (UTF-8 for text)");
		FunctionCounter.builder("tutti.writes", this.hub, (hub) -> total(hub, SessionWriter.WRITES))
			.tags(tags)
			.description("Writes to the network: flushes of a session's batch, or unbatched sends")
			.register(registry);
		this.hub.metrics().bind(new Recorder(registry, tags));
	}

	private void sent(MeterRegistry registry, Tags tags, String name, String type, int total, @Nullable String baseUnit,
			String description) {
		FunctionCounter.builder(name, this.hub, (hub) -> total(hub, total))
			.tags(tags)
			.tag("type", type)
			.description(description)
			.baseUnit(baseUnit)
			.register(registry);
	}

	private static double total(Hub hub, int total) {
		return hub.metrics().total(total, hub.registry());
	}

	private static double queued(Hub hub) {
		long queued = 0;
		for (DefaultSession session : hub.registry().sessions()) {
			queued += session.writer().queued();
		}
		return queued;
	}

	private static double queuedBytes(Hub hub) {
		long queued = 0;
		for (DefaultSession session : hub.registry().sessions()) {
			queued += session.writer().queuedBytes();
		}
		return queued;
	}

	/**
	 * Records the hub's events on meters registered up front, so that recording never
	 * looks a meter up.
	 */
	private static final class Recorder implements HubMetrics.Recorder {

		private final Counter opened;

		private final Map<String, Counter> closed;

		private final Map<String, Counter> handshakes;

		private final Counter textReceived;

		private final Counter binaryReceived;

		private final Counter textReceivedBytes;

		private final Counter binaryReceivedBytes;

		private final Map<String, Counter> dropped;

		private final Map<String, Counter> rejected;

		private final Counter broadcasts;

		private final DistributionSummary recipients;

		private final Timer broadcastDuration;

		private final Timer sendLatency;

		private final Timer heartbeatRtt;

		private final Map<String, Counter> handlerErrors;

		Recorder(MeterRegistry registry, Tags tags) {
			this.opened = Counter.builder("tutti.sessions.opened")
				.tags(tags)
				.description("Sessions whose connection opened")
				.register(registry);
			this.closed = counters(registry, "tutti.sessions.closed", tags, "reason", CLOSE_REASONS,
					"Sessions that ended, by reason");
			this.handshakes = counters(registry, "tutti.handshakes", tags, "outcome", HANDSHAKE_OUTCOMES,
					"WebSocket handshakes, by outcome");
			this.textReceived = received(registry, tags, "text");
			this.binaryReceived = received(registry, tags, "binary");
			this.textReceivedBytes = receivedBytes(registry, tags, "text");
			this.binaryReceivedBytes = receivedBytes(registry, tags, "binary");
			this.dropped = counters(registry, "tutti.messages.dropped", tags, "reason", DROP_REASONS,
					"Outbound messages that were not written, by reason");
			this.rejected = counters(registry, "tutti.messages.rejected", tags, "reason", REJECT_REASONS,
					"Inbound messages that were not handled, by reason");
			this.broadcasts = Counter.builder("tutti.broadcasts")
				.tags(tags)
				.description("Broadcasts, to any target")
				.register(registry);
			this.recipients = DistributionSummary.builder("tutti.broadcast.recipients")
				.tags(tags)
				.description("Sessions a broadcast was offered to")
				.register(registry);
			this.broadcastDuration = Timer.builder("tutti.broadcast.duration")
				.tags(tags)
				.description("Time to offer one broadcast to every local recipient")
				.register(registry);
			this.sendLatency = Timer.builder("tutti.send.latency")
				.tags(tags)
				.publishPercentileHistogram()
				.description("Time from queueing to writing of the oldest message of each write")
				.register(registry);
			this.heartbeatRtt = Timer.builder("tutti.heartbeat.rtt")
				.tags(tags)
				.publishPercentileHistogram()
				.description("Time from a ping to the pong that answers it")
				.register(registry);
			this.handlerErrors = counters(registry, "tutti.handler.errors", tags, "handler", HANDLERS,
					"Exceptions thrown by the application's handlers, by kind of handler");
		}

		@Override
		public void handshake(String outcome) {
			increment(this.handshakes, outcome, 1);
		}

		@Override
		public void sessionOpened() {
			this.opened.increment();
		}

		@Override
		public void sessionClosed(String reason) {
			increment(this.closed, reason, 1);
		}

		@Override
		public void received(boolean binary, long bytes) {
			(binary ? this.binaryReceived : this.textReceived).increment();
			(binary ? this.binaryReceivedBytes : this.textReceivedBytes).increment(bytes);
		}

		@Override
		public void dropped(String reason, int messages) {
			increment(this.dropped, reason, messages);
		}

		@Override
		public void rejected(String reason) {
			increment(this.rejected, reason, 1);
		}

		@Override
		public void broadcast(int recipients, long nanos) {
			this.broadcasts.increment();
			this.recipients.record(recipients);
			this.broadcastDuration.record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void sendLatency(long nanos) {
			this.sendLatency.record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void heartbeatRtt(long nanos) {
			this.heartbeatRtt.record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void handlerError(String handler) {
			increment(this.handlerErrors, handler, 1);
		}

		private static void increment(Map<String, Counter> counters, String key, int amount) {
			Counter counter = counters.get(key);
			if (counter != null) {
				counter.increment(amount);
			}
		}

		private static Counter received(MeterRegistry registry, Tags tags, String type) {
			return Counter.builder("tutti.messages.received")
				.tags(tags)
				.tag("type", type)
				.description("Whole inbound messages")
				.register(registry);
		}

		private static Counter receivedBytes(MeterRegistry registry, Tags tags, String type) {
			return Counter.builder("tutti.messages.received.bytes")
				.tags(tags)
				.tag("type", type)
				.description("Payload bytes of whole inbound messages (UTF-8 for text)")
				.baseUnit(BaseUnits.BYTES)
				.register(registry);
		}

		private static Map<String, Counter> counters(MeterRegistry registry, String name, Tags tags, String key,
				List<String> values, String description) {
			Map<String, Counter> counters = new HashMap<>();
			for (String value : values) {
				counters.put(value,
						Counter.builder(name).tags(tags).tag(key, value).description(description).register(registry));
			}
			return Map.copyOf(counters);
		}

	}

}
