package dev.tutti.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tutti.HubConfig;
import dev.tutti.OverflowPolicy;
import dev.tutti.RateLimitPolicy;
import dev.tutti.redis.RedisBackplane;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the auto-configured Tutti hub. Defaults equal those of
 * {@link HubConfig}.
 */
@ConfigurationProperties("tutti")
public class TuttiProperties {

	/**
	 * URL path of the auto-configured hub's WebSocket endpoint.
	 */
	private String path = "/ws";

	/**
	 * Origins allowed to open WebSocket connections, such as "https://example.com". Empty
	 * allows only the page's own origin; "*" allows every origin.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Origin patterns allowed to open WebSocket connections, such as
	 * "https://*.example.com".
	 */
	private List<String> allowedOriginPatterns = new ArrayList<>();

	/**
	 * Time one write to a session may take before the session is closed.
	 */
	private Duration writeTimeout = HubConfig.DEFAULT_WRITE_TIMEOUT;

	/**
	 * Time a session may stay silent (no pong or other frame) before it is closed.
	 */
	private Duration pongTimeout = HubConfig.DEFAULT_PONG_TIMEOUT;

	/**
	 * Interval between pings to each session. Must be shorter than the pong timeout.
	 * Defaults to 9/10 of the pong timeout.
	 */
	private @Nullable Duration pingPeriod;

	/**
	 * Largest inbound message accepted; larger ones close the session with 1009. Does not
	 * change the container's per-connection buffers: messages arrive in parts and are
	 * reassembled.
	 */
	private DataSize maxMessageSize = DataSize.ofBytes(HubConfig.DEFAULT_MAX_MESSAGE_SIZE);

	/**
	 * Longest time a fragmented inbound message may take from its first frame to its
	 * last; a session whose message takes longer is closed with 1008 and the parts
	 * received so far are released.
	 */
	private Duration messageAssemblyTimeout = HubConfig.DEFAULT_MESSAGE_ASSEMBLY_TIMEOUT;

	/**
	 * Number of messages a session's outbound buffer holds before the overflow policy
	 * applies.
	 */
	private int outboundBufferSize = HubConfig.DEFAULT_OUTBOUND_BUFFER_SIZE;

	/**
	 * Bytes of payload (UTF-8 for text) a session's outbound buffer holds before the
	 * overflow policy applies. An empty buffer takes one message of any size.
	 */
	private DataSize outboundBufferBytes = DataSize.ofBytes(HubConfig.DEFAULT_OUTBOUND_BUFFER_BYTES);

	/**
	 * What happens when a session's outbound buffer is full.
	 */
	private OverflowPolicy overflowPolicy = HubConfig.DEFAULT_OVERFLOW_POLICY;

	/**
	 * Maximum number of sessions of the auto-configured hub; further handshakes are
	 * refused with HTTP 503 until one ends. -1 for no limit.
	 */
	private int maxSessions = HubConfig.UNLIMITED_SESSIONS;

	/**
	 * Whether a session's messages may be handled concurrently on worker threads instead
	 * of one at a time.
	 */
	private boolean concurrentMessageHandling;

	/**
	 * Time the application's hubs get together, when the application shuts down, to write
	 * what their sessions have queued and send every session a close frame (1001, going
	 * away) before the web server shuts down.
	 */
	private Duration shutdownTimeout = HubConfig.DEFAULT_SHUTDOWN_TIMEOUT;

	/**
	 * Whether to serve each hub's path with a servlet of its own, which has the servlet
	 * container upgrade the connection, instead of through Spring MVC's DispatcherServlet
	 * and Spring's WebSocket session. Cuts the work and memory of every connection; the
	 * handshake's checks, servlet filters and outcomes are the same. Paths with patterns
	 * are always served through Spring MVC.
	 */
	private boolean directUpgrade = true;

	/**
	 * How connections on a path served by its own servlet (see 'tutti.direct-upgrade')
	 * speak WebSocket: 'engine' is Tutti's own protocol engine on the servlet container's
	 * HTTP upgrade, on Tomcat only (elsewhere, logged once, the container's is used);
	 * 'standard' is the container's Jakarta WebSocket implementation, which paths served
	 * through Spring MVC always use.
	 */
	private Transport transport = Transport.ENGINE;

	private final InboundRateLimit inboundRateLimit = new InboundRateLimit();

	private final Json json = new Json();

	private final Tomcat tomcat = new Tomcat();

	private final Metrics metrics = new Metrics();

	private final Observations observations = new Observations();

	private final Cluster cluster = new Cluster();

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public List<String> getAllowedOriginPatterns() {
		return this.allowedOriginPatterns;
	}

	public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
		this.allowedOriginPatterns = allowedOriginPatterns;
	}

	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	public Duration getPongTimeout() {
		return this.pongTimeout;
	}

	public void setPongTimeout(Duration pongTimeout) {
		this.pongTimeout = pongTimeout;
	}

	public @Nullable Duration getPingPeriod() {
		return this.pingPeriod;
	}

	public void setPingPeriod(@Nullable Duration pingPeriod) {
		this.pingPeriod = pingPeriod;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public Duration getMessageAssemblyTimeout() {
		return this.messageAssemblyTimeout;
	}

	public void setMessageAssemblyTimeout(Duration messageAssemblyTimeout) {
		this.messageAssemblyTimeout = messageAssemblyTimeout;
	}

	public int getOutboundBufferSize() {
		return this.outboundBufferSize;
	}

	public void setOutboundBufferSize(int outboundBufferSize) {
		this.outboundBufferSize = outboundBufferSize;
	}

	public DataSize getOutboundBufferBytes() {
		return this.outboundBufferBytes;
	}

	public void setOutboundBufferBytes(DataSize outboundBufferBytes) {
		this.outboundBufferBytes = outboundBufferBytes;
	}

	public int getMaxSessions() {
		return this.maxSessions;
	}

	public void setMaxSessions(int maxSessions) {
		this.maxSessions = maxSessions;
	}

	public OverflowPolicy getOverflowPolicy() {
		return this.overflowPolicy;
	}

	public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
		this.overflowPolicy = overflowPolicy;
	}

	public boolean isConcurrentMessageHandling() {
		return this.concurrentMessageHandling;
	}

	public void setConcurrentMessageHandling(boolean concurrentMessageHandling) {
		this.concurrentMessageHandling = concurrentMessageHandling;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public boolean isDirectUpgrade() {
		return this.directUpgrade;
	}

	public void setDirectUpgrade(boolean directUpgrade) {
		this.directUpgrade = directUpgrade;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = transport;
	}

	public InboundRateLimit getInboundRateLimit() {
		return this.inboundRateLimit;
	}

	public Json getJson() {
		return this.json;
	}

	public Tomcat getTomcat() {
		return this.tomcat;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Observations getObservations() {
		return this.observations;
	}

	/**
	 * Micrometer settings.
	 */
	public static class Metrics {

		/**
		 * Whether to bind the meters of every hub to the application's MeterRegistry,
		 * when there is one.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * How a hub's connections speak WebSocket.
	 */
	public enum Transport {

		/**
		 * Tutti's own protocol engine on the servlet container's HTTP upgrade (Tomcat
		 * only): no WebSocket session or buffers of the container per connection.
		 */
		ENGINE,

		/**
		 * The servlet container's Jakarta WebSocket implementation.
		 */
		STANDARD

	}

	/**
	 * Per-session limit on inbound messages: a token bucket, off by default.
	 */
	public static class InboundRateLimit {

		/**
		 * Messages per second each session may send on average; 0 for no limit.
		 */
		private double messagesPerSecond;

		/**
		 * Messages a session may send at once after a quiet period; 0 for one second's
		 * worth of messages-per-second.
		 */
		private int burst;

		/**
		 * What happens to a message over the limit: 'drop' it (reported to the error
		 * handlers and counted), or 'close' the session with 1008.
		 */
		private RateLimitPolicy policy = HubConfig.DEFAULT_INBOUND_RATE_LIMIT_POLICY;

		public double getMessagesPerSecond() {
			return this.messagesPerSecond;
		}

		public void setMessagesPerSecond(double messagesPerSecond) {
			this.messagesPerSecond = messagesPerSecond;
		}

		public int getBurst() {
			return this.burst;
		}

		public void setBurst(int burst) {
			this.burst = burst;
		}

		public RateLimitPolicy getPolicy() {
			return this.policy;
		}

		public void setPolicy(RateLimitPolicy policy) {
			this.policy = policy;
		}

	}

	/**
	 * Micrometer Observation settings.
	 */
	public static class Observations {

		/**
		 * Whether every hub's handshakes and handled inbound messages are observations
		 * ("tutti.handshake", "tutti.message") of the application's ObservationRegistry,
		 * when there is one.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Typed JSON message settings.
	 */
	public static class Json {

		/**
		 * Name of the JSON property whose value selects the typed handler of an inbound
		 * message.
		 */
		private String typeProperty = HubConfig.DEFAULT_MESSAGE_TYPE_PROPERTY;

		/**
		 * Whether a client whose message cannot be decoded gets an error reply besides
		 * the error handler's report.
		 */
		private boolean errorReply;

		public String getTypeProperty() {
			return this.typeProperty;
		}

		public void setTypeProperty(String typeProperty) {
			this.typeProperty = typeProperty;
		}

		public boolean isErrorReply() {
			return this.errorReply;
		}

		public void setErrorReply(boolean errorReply) {
			this.errorReply = errorReply;
		}

	}

	/**
	 * Per-connection buffers of an embedded Tomcat. They decide most of the memory an
	 * idle WebSocket connection costs: with Tomcat's defaults (8 KiB each) about 77 KB,
	 * with these about 21 KB.
	 */
	public static class Tomcat {

		/**
		 * Size of the WebSocket container's text and binary message buffers of every
		 * connection (the text buffer holds this many characters). Tutti receives larger
		 * messages in parts and reassembles them up to max-message-size. Not applied when
		 * the application declares a ServletServerContainerFactoryBean.
		 */
		private DataSize messageBufferSize = DataSize.ofKilobytes(1);

		/**
		 * Size of Tomcat's WebSocket frame input, output and encoder buffers of every
		 * connection, and its default message buffer size for WebSocket clients too.
		 * Tutti writes its own frames on Tomcat, so outbound messages do not go through
		 * it; only when connections fall back to the standard WebSocket API does an
		 * outbound text larger than this take one network write per buffer (raise it
		 * towards the typical message size then; it costs about 3 KB of memory per
		 * connection for each KB). Tomcat offers no per-server setting for these buffers:
		 * this is set as the 'org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE' system
		 * property when the server is created, unless that is set already (on the command
		 * line, or by an application started earlier in the same JVM, whose size then
		 * applies), and Tomcat reads it once per JVM.
		 */
		private DataSize frameBufferSize = DataSize.ofKilobytes(1);

		/**
		 * Size of the connector's socket read and write buffers ('socket.appReadBufSize'
		 * and 'socket.appWriteBufSize') of every connection, HTTP included. One write to
		 * the network carries at most this much.
		 */
		private DataSize socketBufferSize = DataSize.ofKilobytes(2);

		public DataSize getMessageBufferSize() {
			return this.messageBufferSize;
		}

		public void setMessageBufferSize(DataSize messageBufferSize) {
			this.messageBufferSize = messageBufferSize;
		}

		public DataSize getFrameBufferSize() {
			return this.frameBufferSize;
		}

		public void setFrameBufferSize(DataSize frameBufferSize) {
			this.frameBufferSize = frameBufferSize;
		}

		public DataSize getSocketBufferSize() {
			return this.socketBufferSize;
		}

		public void setSocketBufferSize(DataSize socketBufferSize) {
			this.socketBufferSize = socketBufferSize;
		}

	}

	/**
	 * Settings of the cluster backplane, which relays broadcasts to the hubs of every
	 * application instance.
	 */
	public static class Cluster {

		/**
		 * Backplane that relays broadcasts to other instances: "none" or "redis".
		 */
		private BackplaneType backplane = BackplaneType.NONE;

		/**
		 * Id of this instance in the cluster, unique among the instances. Defaults to a
		 * random UUID.
		 */
		private @Nullable String nodeId;

		/**
		 * Prefix of the backplane's channels and keys, so that several applications can
		 * share one Redis.
		 */
		private String channelPrefix = RedisBackplane.DEFAULT_CHANNEL_PREFIX;

		/**
		 * Time a publish to the backplane may take before it counts as failed. Publishing
		 * never blocks a broadcast.
		 */
		private Duration publishTimeout = Duration.ofSeconds(1);

		/**
		 * Largest envelope (a broadcast with its target and header) the backplane
		 * publishes; a larger broadcast is refused.
		 */
		private DataSize maxEnvelopeSize = DataSize.ofBytes(RedisBackplane.DEFAULT_MAX_ENVELOPE_SIZE);

		/**
		 * Interval between this instance's updates of the cluster-wide counts. An
		 * instance that stops without closing leaves the counts after three intervals.
		 */
		private Duration heartbeatPeriod = Duration.ofSeconds(1);

		private final Redis redis = new Redis();

		public BackplaneType getBackplane() {
			return this.backplane;
		}

		public void setBackplane(BackplaneType backplane) {
			this.backplane = backplane;
		}

		public @Nullable String getNodeId() {
			return this.nodeId;
		}

		public void setNodeId(@Nullable String nodeId) {
			this.nodeId = nodeId;
		}

		public String getChannelPrefix() {
			return this.channelPrefix;
		}

		public void setChannelPrefix(String channelPrefix) {
			this.channelPrefix = channelPrefix;
		}

		public Duration getPublishTimeout() {
			return this.publishTimeout;
		}

		public void setPublishTimeout(Duration publishTimeout) {
			this.publishTimeout = publishTimeout;
		}

		public DataSize getMaxEnvelopeSize() {
			return this.maxEnvelopeSize;
		}

		public void setMaxEnvelopeSize(DataSize maxEnvelopeSize) {
			this.maxEnvelopeSize = maxEnvelopeSize;
		}

		public Duration getHeartbeatPeriod() {
			return this.heartbeatPeriod;
		}

		public void setHeartbeatPeriod(Duration heartbeatPeriod) {
			this.heartbeatPeriod = heartbeatPeriod;
		}

		public Redis getRedis() {
			return this.redis;
		}

		/**
		 * The kinds of backplane.
		 */
		public enum BackplaneType {

			/** No backplane: broadcasts reach this instance's sessions only. */
			NONE,

			/** Redis pub/sub, with the connection of {@code spring.data.redis.*}. */
			REDIS

		}

		/**
		 * Settings of the Redis backplane.
		 */
		public static class Redis {

			/**
			 * Whether room broadcasts use sharded pub/sub (SPUBLISH/SSUBSCRIBE) on a
			 * channel per room, against a Redis 7 Cluster.
			 */
			private boolean sharded;

			public boolean isSharded() {
				return this.sharded;
			}

			public void setSharded(boolean sharded) {
				this.sharded = sharded;
			}

		}

	}

}
