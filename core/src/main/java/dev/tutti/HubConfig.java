package dev.tutti;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link Hub}. Every default lives here; integrations such as the Spring
 * Boot properties map onto this builder.
 * <p>
 * Immutable and thread-safe. Create one with {@link #builder()} or take the
 * {@link #defaults()}.
 */
public final class HubConfig {

	/** Default name of a hub, used in log and exception messages. */
	public static final String DEFAULT_NAME = "tutti";

	/** Default time a write may take before its session is closed. */
	public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);

	/** Default time without a pong or other inbound frame before a session is closed. */
	public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Default interval between pings with the default pong timeout. A builder without a
	 * ping period uses 9/10 of its pong timeout, as melody does.
	 */
	public static final Duration DEFAULT_PING_PERIOD = Duration.ofSeconds(54);

	/** Default largest inbound message, in bytes: 64 KiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

	/**
	 * Default time a fragmented inbound message may take from its first frame to its
	 * last.
	 */
	public static final Duration DEFAULT_MESSAGE_ASSEMBLY_TIMEOUT = Duration.ofSeconds(60);

	/** Default capacity of a session's outbound buffer, in messages. */
	public static final int DEFAULT_OUTBOUND_BUFFER_SIZE = 256;

	/** Default capacity of a session's outbound buffer, in bytes of payload: 4 MiB. */
	public static final long DEFAULT_OUTBOUND_BUFFER_BYTES = 4L * 1024 * 1024;

	/** Default overflow policy. */
	public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.DROP_NEWEST;

	/** Value of {@link #maxSessions()} that sets no limit; the default. */
	public static final int UNLIMITED_SESSIONS = -1;

	/** Default policy for messages over a session's inbound rate limit. */
	public static final RateLimitPolicy DEFAULT_INBOUND_RATE_LIMIT_POLICY = RateLimitPolicy.DROP;

	/** Default name of the JSON property that selects a typed message handler. */
	public static final String DEFAULT_MESSAGE_TYPE_PROPERTY = "type";

	/**
	 * Default time an integration gives a closed hub to send its sessions' close frames
	 * (see {@link Hub#awaitTermination(Duration)}).
	 */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

	private static final HubConfig DEFAULTS = builder().build();

	private final String name;

	private final Duration writeTimeout;

	private final Duration pongTimeout;

	private final Duration pingPeriod;

	private final @Nullable Duration explicitPingPeriod;

	private final int maxMessageSize;

	private final Duration messageAssemblyTimeout;

	private final int outboundBufferSize;

	private final long outboundBufferBytes;

	private final OverflowPolicy overflowPolicy;

	private final int maxSessions;

	private final double inboundMessagesPerSecond;

	private final int inboundBurst;

	/** The burst as set, 0 if derived from the rate. */
	private final int explicitInboundBurst;

	private final RateLimitPolicy inboundRateLimitPolicy;

	private final boolean concurrentMessageHandling;

	private final String messageTypeProperty;

	private final boolean decodingErrorReply;

	private final Duration shutdownTimeout;

	private HubConfig(Builder builder) {
		this.name = builder.name;
		this.writeTimeout = builder.writeTimeout;
		this.pongTimeout = builder.pongTimeout;
		this.pingPeriod = (builder.pingPeriod != null) ? builder.pingPeriod
				: builder.pongTimeout.multipliedBy(9).dividedBy(10);
		this.explicitPingPeriod = builder.pingPeriod;
		this.maxMessageSize = builder.maxMessageSize;
		this.messageAssemblyTimeout = builder.messageAssemblyTimeout;
		this.outboundBufferSize = builder.outboundBufferSize;
		this.outboundBufferBytes = builder.outboundBufferBytes;
		this.overflowPolicy = builder.overflowPolicy;
		this.maxSessions = builder.maxSessions;
		this.inboundMessagesPerSecond = builder.inboundMessagesPerSecond;
		this.inboundBurst = (builder.inboundBurst > 0) ? builder.inboundBurst
				: (int) Math.min(Integer.MAX_VALUE, Math.max(1, (long) Math.ceil(builder.inboundMessagesPerSecond)));
		this.explicitInboundBurst = builder.inboundBurst;
		this.inboundRateLimitPolicy = builder.inboundRateLimitPolicy;
		this.concurrentMessageHandling = builder.concurrentMessageHandling;
		this.messageTypeProperty = builder.messageTypeProperty;
		this.decodingErrorReply = builder.decodingErrorReply;
		this.shutdownTimeout = builder.shutdownTimeout;
	}

	/**
	 * Return the default settings.
	 * @return the defaults
	 */
	public static HubConfig defaults() {
		return DEFAULTS;
	}

	/**
	 * Start a builder seeded with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start a builder seeded with these settings, for a configuration that differs in a
	 * few of them, such as a second hub with another name.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder().name(this.name)
			.writeTimeout(this.writeTimeout)
			.pongTimeout(this.pongTimeout)
			.maxMessageSize(this.maxMessageSize)
			.outboundBufferSize(this.outboundBufferSize)
			.outboundBufferBytes(this.outboundBufferBytes)
			.overflowPolicy(this.overflowPolicy)
			.maxSessions(this.maxSessions)
			.inboundMessagesPerSecond(this.inboundMessagesPerSecond)
			.inboundBurst(this.explicitInboundBurst)
			.inboundRateLimitPolicy(this.inboundRateLimitPolicy)
			.concurrentMessageHandling(this.concurrentMessageHandling)
			.messageTypeProperty(this.messageTypeProperty)
			.decodingErrorReply(this.decodingErrorReply)
			.messageAssemblyTimeout(this.messageAssemblyTimeout)
			.shutdownTimeout(this.shutdownTimeout);
		// A derived ping period or burst stays derived
		builder.pingPeriod = this.explicitPingPeriod;
		return builder;
	}

	/**
	 * Return the hub's name, used in log and exception messages.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return how long one write may take before the session is closed with
	 * {@link CloseStatus#WRITE_TIMEOUT}.
	 * @return the write timeout
	 */
	public Duration writeTimeout() {
		return this.writeTimeout;
	}

	/**
	 * Return how long a session may stay silent (no pong, no other frame) before it is
	 * closed with {@link CloseStatus#PONG_TIMEOUT}.
	 * @return the pong timeout
	 */
	public Duration pongTimeout() {
		return this.pongTimeout;
	}

	/**
	 * Return the interval between pings to each session.
	 * @return the ping period
	 */
	public Duration pingPeriod() {
		return this.pingPeriod;
	}

	/**
	 * Return the largest inbound message accepted, in bytes (UTF-8 bytes for text).
	 * @return the maximum message size
	 */
	public int maxMessageSize() {
		return this.maxMessageSize;
	}

	/**
	 * Return how long a fragmented inbound message may take from its first frame to its
	 * last. A session whose message takes longer is closed with
	 * {@link CloseStatus#ASSEMBLY_TIMEOUT} and the parts received so far are released.
	 * @return the message assembly timeout
	 */
	public Duration messageAssemblyTimeout() {
		return this.messageAssemblyTimeout;
	}

	/**
	 * Return how many messages a session's outbound buffer holds.
	 * @return the buffer capacity
	 */
	public int outboundBufferSize() {
		return this.outboundBufferSize;
	}

	/**
	 * Return how many bytes of payload (UTF-8 for text) a session's outbound buffer
	 * holds. A message that would take the buffer past this size overflows it like a
	 * message past {@link #outboundBufferSize()}; a message larger than this is still
	 * queued when the buffer is empty, so that no message the hub may send is refused
	 * outright.
	 * @return the buffer capacity in bytes
	 */
	public long outboundBufferBytes() {
		return this.outboundBufferBytes;
	}

	/**
	 * Return what happens when a session's outbound buffer is full.
	 * @return the overflow policy
	 */
	public OverflowPolicy overflowPolicy() {
		return this.overflowPolicy;
	}

	/**
	 * Return how many sessions the hub holds at most; further handshakes are refused with
	 * HTTP 503 until a session ends.
	 * @return the maximum number of sessions, or {@link #UNLIMITED_SESSIONS} for no limit
	 */
	public int maxSessions() {
		return this.maxSessions;
	}

	/**
	 * Return how many inbound messages per second each session may send on average, or 0
	 * if inbound messages are not limited.
	 * @return the rate, or 0 for no limit
	 * @see #inboundBurst()
	 * @see #inboundRateLimitPolicy()
	 */
	public double inboundMessagesPerSecond() {
		return this.inboundMessagesPerSecond;
	}

	/**
	 * Return how many inbound messages a session may send at once, above its rate, after
	 * a quiet period: the size of its token bucket. Defaults to one second's worth of
	 * {@link #inboundMessagesPerSecond()}, and at least 1.
	 * @return the burst
	 */
	public int inboundBurst() {
		return this.inboundBurst;
	}

	/**
	 * Return what happens to an inbound message over the session's rate limit.
	 * @return the policy
	 */
	public RateLimitPolicy inboundRateLimitPolicy() {
		return this.inboundRateLimitPolicy;
	}

	/**
	 * Whether a session's messages may be handled concurrently on worker threads instead
	 * of one at a time on the container's read thread.
	 * @return {@code true} if concurrent message handling is on
	 */
	public boolean concurrentMessageHandling() {
		return this.concurrentMessageHandling;
	}

	/**
	 * Return the name of the JSON property whose value selects the typed handler of an
	 * inbound message (see {@link Hub#onMessage(String, Class, MessageHandler)}).
	 * @return the property name
	 */
	public String messageTypeProperty() {
		return this.messageTypeProperty;
	}

	/**
	 * Whether a client whose message cannot be decoded for a typed handler gets an error
	 * reply, {@code {"type":"error","message":"..."}}, besides the error handler's
	 * report.
	 * @return {@code true} if clients get error replies
	 */
	public boolean decodingErrorReply() {
		return this.decodingErrorReply;
	}

	/**
	 * Return how long an integration that shuts the hub down, such as the Spring Boot
	 * auto-configuration, waits after {@link Hub#close()} for every session's close frame
	 * (see {@link Hub#awaitTermination(Duration)}). The hub itself does not wait.
	 * @return the shutdown timeout
	 */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	@Override
	public String toString() {
		return "HubConfig[name=%s, writeTimeout=%s, pongTimeout=%s, pingPeriod=%s, maxMessageSize=%d, messageAssemblyTimeout=%s, outboundBufferSize=%d, outboundBufferBytes=%d, overflowPolicy=%s, maxSessions=%d, inboundMessagesPerSecond=%s, inboundBurst=%d, inboundRateLimitPolicy=%s, concurrentMessageHandling=%s, messageTypeProperty=%s, decodingErrorReply=%s, shutdownTimeout=%s]"
			.formatted(this.name, this.writeTimeout, this.pongTimeout, this.pingPeriod, this.maxMessageSize,
					this.messageAssemblyTimeout, this.outboundBufferSize, this.outboundBufferBytes, this.overflowPolicy,
					this.maxSessions, this.inboundMessagesPerSecond, this.inboundBurst, this.inboundRateLimitPolicy,
					this.concurrentMessageHandling, this.messageTypeProperty, this.decodingErrorReply,
					this.shutdownTimeout);
	}

	/**
	 * Builder of a {@link HubConfig}, seeded with the defaults. Not thread-safe.
	 */
	public static final class Builder {

		private String name = DEFAULT_NAME;

		private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;

		private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;

		private @Nullable Duration pingPeriod;

		private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

		private Duration messageAssemblyTimeout = DEFAULT_MESSAGE_ASSEMBLY_TIMEOUT;

		private int outboundBufferSize = DEFAULT_OUTBOUND_BUFFER_SIZE;

		private long outboundBufferBytes = DEFAULT_OUTBOUND_BUFFER_BYTES;

		private OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;

		private int maxSessions = UNLIMITED_SESSIONS;

		private double inboundMessagesPerSecond;

		private int inboundBurst;

		private RateLimitPolicy inboundRateLimitPolicy = DEFAULT_INBOUND_RATE_LIMIT_POLICY;

		private boolean concurrentMessageHandling;

		private String messageTypeProperty = DEFAULT_MESSAGE_TYPE_PROPERTY;

		private boolean decodingErrorReply;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private Builder() {
		}

		/**
		 * Set the hub's name.
		 * @param name a non-empty name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = Objects.requireNonNull(name, "name");
			return this;
		}

		/**
		 * Set how long one write may take before the session is closed.
		 * @param writeTimeout a positive duration
		 * @return this builder
		 */
		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
			return this;
		}

		/**
		 * Set how long a session may stay silent before it is closed.
		 * @param pongTimeout a positive duration, longer than the ping period
		 * @return this builder
		 */
		public Builder pongTimeout(Duration pongTimeout) {
			this.pongTimeout = Objects.requireNonNull(pongTimeout, "pongTimeout");
			return this;
		}

		/**
		 * Set the interval between pings. Default: 9/10 of the pong timeout.
		 * @param pingPeriod a positive duration, shorter than the pong timeout
		 * @return this builder
		 */
		public Builder pingPeriod(Duration pingPeriod) {
			this.pingPeriod = Objects.requireNonNull(pingPeriod, "pingPeriod");
			return this;
		}

		/**
		 * Set the largest inbound message accepted, in bytes.
		 * @param maxMessageSize a positive number of bytes
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * Set how long a fragmented inbound message may take from its first frame to its
		 * last.
		 * @param messageAssemblyTimeout a positive duration
		 * @return this builder
		 */
		public Builder messageAssemblyTimeout(Duration messageAssemblyTimeout) {
			this.messageAssemblyTimeout = Objects.requireNonNull(messageAssemblyTimeout, "messageAssemblyTimeout");
			return this;
		}

		/**
		 * Set how many messages a session's outbound buffer holds.
		 * @param outboundBufferSize a positive number of messages
		 * @return this builder
		 */
		public Builder outboundBufferSize(int outboundBufferSize) {
			this.outboundBufferSize = outboundBufferSize;
			return this;
		}

		/**
		 * Set how many bytes of payload a session's outbound buffer holds.
		 * @param outboundBufferBytes a positive number of bytes
		 * @return this builder
		 */
		public Builder outboundBufferBytes(long outboundBufferBytes) {
			this.outboundBufferBytes = outboundBufferBytes;
			return this;
		}

		/**
		 * Set what happens when a session's outbound buffer is full.
		 * @param overflowPolicy the policy
		 * @return this builder
		 */
		public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
			this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
			return this;
		}

		/**
		 * Set how many sessions the hub holds at most.
		 * @param maxSessions a positive number, or {@link #UNLIMITED_SESSIONS} for no
		 * limit
		 * @return this builder
		 */
		public Builder maxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
			return this;
		}

		/**
		 * Set how many inbound messages per second each session may send on average.
		 * @param inboundMessagesPerSecond a positive rate, or 0 for no limit
		 * @return this builder
		 */
		public Builder inboundMessagesPerSecond(double inboundMessagesPerSecond) {
			this.inboundMessagesPerSecond = inboundMessagesPerSecond;
			return this;
		}

		/**
		 * Set how many inbound messages a session may send at once after a quiet period.
		 * @param inboundBurst a positive number, or 0 for one second's worth of the rate
		 * @return this builder
		 */
		public Builder inboundBurst(int inboundBurst) {
			this.inboundBurst = inboundBurst;
			return this;
		}

		/**
		 * Set what happens to an inbound message over the session's rate limit.
		 * @param inboundRateLimitPolicy the policy
		 * @return this builder
		 */
		public Builder inboundRateLimitPolicy(RateLimitPolicy inboundRateLimitPolicy) {
			this.inboundRateLimitPolicy = Objects.requireNonNull(inboundRateLimitPolicy, "inboundRateLimitPolicy");
			return this;
		}

		/**
		 * Set whether a session's messages may be handled concurrently on worker threads.
		 * @param concurrentMessageHandling {@code true} to handle concurrently
		 * @return this builder
		 */
		public Builder concurrentMessageHandling(boolean concurrentMessageHandling) {
			this.concurrentMessageHandling = concurrentMessageHandling;
			return this;
		}

		/**
		 * Set the name of the JSON property that selects a typed message handler.
		 * @param messageTypeProperty a non-blank property name
		 * @return this builder
		 */
		public Builder messageTypeProperty(String messageTypeProperty) {
			this.messageTypeProperty = Objects.requireNonNull(messageTypeProperty, "messageTypeProperty");
			return this;
		}

		/**
		 * Set whether a client whose message cannot be decoded gets an error reply.
		 * @param decodingErrorReply {@code true} to reply
		 * @return this builder
		 */
		public Builder decodingErrorReply(boolean decodingErrorReply) {
			this.decodingErrorReply = decodingErrorReply;
			return this;
		}

		/**
		 * Set how long an integration waits after closing the hub for every session's
		 * close frame.
		 * @param shutdownTimeout a positive duration
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
			return this;
		}

		/**
		 * Check the settings and build the configuration.
		 * @return the configuration
		 * @throws InvalidConfigException if a setting is out of range
		 */
		public HubConfig build() {
			if (this.name.isBlank()) {
				throw new InvalidConfigException("name", this.name, "must not be blank");
			}
			requirePositive("writeTimeout", this.writeTimeout);
			requirePositive("pongTimeout", this.pongTimeout);
			if (this.pingPeriod != null) {
				requirePositive("pingPeriod", this.pingPeriod);
				if (this.pingPeriod.compareTo(this.pongTimeout) >= 0) {
					throw new InvalidConfigException("pingPeriod", this.pingPeriod,
							"must be shorter than the pong timeout (" + this.pongTimeout + ")");
				}
			}
			requirePositive("maxMessageSize", this.maxMessageSize);
			requirePositive("messageAssemblyTimeout", this.messageAssemblyTimeout);
			requirePositive("outboundBufferSize", this.outboundBufferSize);
			if (this.outboundBufferBytes <= 0) {
				throw new InvalidConfigException("outboundBufferBytes", this.outboundBufferBytes, "must be positive");
			}
			if (this.maxSessions <= 0 && this.maxSessions != UNLIMITED_SESSIONS) {
				throw new InvalidConfigException("maxSessions", this.maxSessions,
						"must be positive, or " + UNLIMITED_SESSIONS + " for no limit");
			}
			if (!(this.inboundMessagesPerSecond >= 0) || Double.isInfinite(this.inboundMessagesPerSecond)) {
				throw new InvalidConfigException("inboundMessagesPerSecond", this.inboundMessagesPerSecond,
						"must be positive, or 0 for no limit");
			}
			if (this.inboundBurst < 0) {
				throw new InvalidConfigException("inboundBurst", this.inboundBurst,
						"must be positive, or 0 for one second's worth of the rate");
			}
			if (this.messageTypeProperty.isBlank()) {
				throw new InvalidConfigException("messageTypeProperty", this.messageTypeProperty, "must not be blank");
			}
			requirePositive("shutdownTimeout", this.shutdownTimeout);
			return new HubConfig(this);
		}

		private static void requirePositive(String setting, @Nullable Duration value) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new InvalidConfigException(setting, value, "must be positive");
			}
		}

		private static void requirePositive(String setting, int value) {
			if (value <= 0) {
				throw new InvalidConfigException(setting, value, "must be positive");
			}
		}

	}

}
