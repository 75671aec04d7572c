package dev.tutti.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.tutti.Backplane;
import dev.tutti.BackplaneException;
import dev.tutti.Target;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@link Backplane} over Redis pub/sub: every node of a cluster publishes each
 * broadcast once, as one envelope, and delivers the other nodes' envelopes to its own
 * sessions. It talks to Redis through Lettuce, with the client of a Spring Data Redis
 * {@link LettuceConnectionFactory} (configured by Boot's {@code spring.data.redis.*}), on
 * two connections of its own: one that publishes, one that subscribes.
 *
 * <h2>Channels and keys</h2> With the channel prefix {@code P} (default {@code tutti}):
 * <ul>
 * <li>{@code P:broadcast}: the channel of every broadcast; with sharded pub/sub
 * ({@link Builder#sharded(boolean)}), of every broadcast but room ones.</li>
 * <li>{@code P:room:NAME}: sharded mode only, the shard channel of the room {@code NAME}
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}); a node subscribes to it while the room has
 * members on that node.</li>
 * <li>{@code {P}:nodes}: a sorted set of the live node ids, scored by the time (Redis
 * server time, in milliseconds) each expires.</li>
 * <li>{@code {P}:node:ID}: a hash of the node {@code ID}'s counts: field {@code s}, its
 * sessions; field {@code r:NAME}, the members of room {@code NAME}. Expires with the
 * node.</li>
 * </ul>
 * The braces make Redis Cluster keep the keys of one prefix in one slot.
 *
 * <h2>Envelope</h2> One message per broadcast, encoded once on the publishing node: <pre>
 * byte     version          1
 * byte     kind             0 text (UTF-8 payload), 1 binary
 * string   origin node id
 * int64    message id       per origin node, from 1
 * target   recipients
 * bytes    payload          the rest of the envelope
 *
 * string = int32 length + UTF-8 bytes (integers big-endian)
 * target = byte tag: 0 all | 1 room: string | 2 session ids: int32 count, strings
 *          | 3 attribute equals: string key, value | 4 except: string session id, target
 * value  = byte type: 's' string | 'i' int32 | 'l' int64 | 'd' float64 | 'b' byte 0/1
 * </pre> A node ignores its own envelopes and refuses, through the hub's error handlers,
 * an envelope of another version.
 *
 * <h2>Counts</h2> Every heartbeat period each node writes its counts and pushes its
 * expiry to three periods ahead; {@link #clusterSize()} and {@link #clusterSize(String)}
 * add up the live nodes' counts in one script on Redis, without contacting the nodes.
 * Counts lag a node's changes by at most one period; a node that stops without closing
 * leaves them within three periods.
 *
 * <h2>Faults</h2> Publishing is asynchronous and never blocks the broadcasting thread; a
 * publish that fails, or does not complete within the publish timeout, or is attempted
 * while Redis is unreachable, is counted ({@link #publishFailures()}) and reported to the
 * hub's error handlers as a {@link BackplaneException}: at most one report a second,
 * which says how many publishes failed since the previous one. Local delivery goes on.
 * Lettuce reconnects and subscribes again by itself when Redis comes back. The backplane
 * connects when its hub starts it: an instance whose Redis is unreachable then fails to
 * start.
 * <p>
 * Order: the envelopes of one publishing thread reach every node in the order it
 * published them (one connection, one channel); in sharded mode, per channel.
 * <p>
 * Thread-safe.
 */
public final class RedisBackplane implements Backplane {

	/** Default channel and key prefix. */
	public static final String DEFAULT_CHANNEL_PREFIX = "tutti";

	/** Default time a publish may take before it counts as failed. */
	public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(1);

	/** Default largest envelope, in bytes. */
	public static final int DEFAULT_MAX_ENVELOPE_SIZE = 1024 * 1024;

	/** Default interval between a node's count updates. */
	public static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(1);

	private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final String HEARTBEAT_SCRIPT = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local ttl = tonumber(ARGV[1])
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ttl)
			redis.call('DEL', KEYS[2])
			redis.call('HSET', KEYS[2], 's', ARGV[3])
			for i = 4, #ARGV, 2 do
				redis.call('HSET', KEYS[2], 'r:' .. ARGV[i], ARGV[i + 1])
			end
			redis.call('PEXPIRE', KEYS[2], ttl)
			return 1
			""";

	private static final String COUNT_SCRIPT = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
			local total = 0
			for _, id in ipairs(ids) do
				local count = redis.call('HGET', ARGV[1] .. id, ARGV[2])
				if count then
					total = total + tonumber(count)
				end
			end
			return total
			""";

	private static final String LEAVE_SCRIPT = """
			redis.call('ZREM', KEYS[1], ARGV[1])
			redis.call('DEL', KEYS[2])
			return 1
			""";

	private final AbstractRedisClient client;

	private final String nodeId;

	private final String prefix;

	private final Duration publishTimeout;

	private final int maxEnvelopeSize;

	private final boolean sharded;

	private final Duration heartbeatPeriod;

	private final byte[] broadcastChannel;

	private final byte[] nodesKey;

	private final byte[] nodeKey;

	/** Ids of the envelopes on room channels (sharded mode). */
	private final AtomicLong sequence = new AtomicLong();

	/**
	 * Ids of the envelopes on the broadcast channel: consecutive, and published in their
	 * order (under {@link #broadcastOrder}), so that a receiver sees a gap as envelopes
	 * it missed.
	 */
	private long broadcastSequence;

	private final Object broadcastOrder = new Object();

	private final LongAdder published = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final AtomicLong unreported = new AtomicLong();

	private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - REPORT_INTERVAL_NANOS);

	private final Set<String> shardSubscriptions = new HashSet<>();

	private final Object lifecycle = new Object();

	private @Nullable Node node;

	/** Delivers the other nodes' envelopes once started. */
	private volatile @Nullable EnvelopeReceiver receiver;

	private @Nullable StatefulConnection<byte[], byte[]> publisher;

	private @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;

	private @Nullable StatefulRedisPubSubConnection<byte[], byte[]> subscriber;

	private @Nullable ScheduledExecutorService scheduler;

	private volatile boolean closed;

	private RedisBackplane(Builder builder) {
		this.client = builder.client;
		this.nodeId = (builder.nodeId != null) ? builder.nodeId : UUID.randomUUID().toString();
		this.prefix = builder.channelPrefix;
		this.publishTimeout = builder.publishTimeout;
		this.maxEnvelopeSize = builder.maxEnvelopeSize;
		this.sharded = builder.sharded;
		this.heartbeatPeriod = builder.heartbeatPeriod;
		this.broadcastChannel = bytes(this.prefix + ":broadcast");
		this.nodesKey = bytes("{" + this.prefix + "}:nodes");
		this.nodeKey = bytes(nodeKeyPrefix() + this.nodeId);
		if (this.sharded && !(this.client instanceof RedisClusterClient)) {
			throw new IllegalArgumentException(
					"Sharded pub/sub (tutti.cluster.redis.sharded) needs a Redis Cluster client (spring.data.redis.cluster.nodes)");
		}
	}

	/**
	 * Start building a backplane on the client of a Spring Data Redis connection factory.
	 * @param connectionFactory the connection factory, which must be started
	 * @return a builder
	 */
	public static Builder builder(LettuceConnectionFactory connectionFactory) {
		return new Builder(connectionFactory.getRequiredNativeClient());
	}

	/**
	 * Start building a backplane on a Lettuce client ({@link RedisClient} or
	 * {@link RedisClusterClient}).
	 * @param client the client, which the backplane does not close
	 * @return a builder
	 */
	public static Builder builder(AbstractRedisClient client) {
		return new Builder(client);
	}

	@Override
	public void start(Node node) {
		synchronized (this.lifecycle) {
			if (this.node != null) {
				throw new IllegalStateException("Backplane of node '" + this.nodeId + "' is started already");
			}
			this.node = node;
			StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
			if (this.client instanceof RedisClusterClient cluster) {
				var connection = cluster.connect(ByteArrayCodec.INSTANCE);
				this.publisher = connection;
				this.commands = connection.async();
				StatefulRedisClusterPubSubConnection<byte[], byte[]> clusterSubscriber = cluster
					.connectPubSub(ByteArrayCodec.INSTANCE);
				clusterSubscriber.setNodeMessagePropagation(true);
				subscriber = clusterSubscriber;
			}
			else if (this.client instanceof RedisClient standalone) {
				var connection = standalone.connect(ByteArrayCodec.INSTANCE);
				this.publisher = connection;
				this.commands = connection.async();
				subscriber = standalone.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			else {
				throw new IllegalArgumentException("Unsupported Redis client " + this.client.getClass().getName());
			}
			EnvelopeReceiver receiver = new EnvelopeReceiver(this.nodeId, node);
			this.receiver = receiver;
			subscriber.addListener(receiver);
			await(subscriber.async().subscribe(this.broadcastChannel), "Subscribing to " + str(this.broadcastChannel));
			this.subscriber = subscriber;
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "tutti-backplane-" + node.hubName());
				thread.setDaemon(true);
				return thread;
			});
			this.scheduler = scheduler;
			long period = this.heartbeatPeriod.toMillis();
			scheduler.scheduleWithFixedDelay(this::heartbeat, 0, period, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void publish(Target target, String text) {
		publish(target, false, text.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void publishBinary(Target target, byte[] data) {
		publish(target, true, data);
	}

	private void publish(Target target, boolean binary, byte[] payload) {
		String room = this.sharded ? roomOf(target) : null;
		if (room != null) {
			byte[] envelope = new Envelope(this.nodeId, this.sequence.incrementAndGet(), target, binary, payload)
				.encode(this.maxEnvelopeSize);
			publish(roomChannel(room), envelope, true);
			return;
		}
		synchronized (this.broadcastOrder) {
			byte[] envelope = new Envelope(this.nodeId, this.broadcastSequence + 1, target, binary, payload)
				.encode(this.maxEnvelopeSize);
			this.broadcastSequence++;
			publish(this.broadcastChannel, envelope, false);
		}
	}

	private void publish(byte[] channel, byte[] envelope, boolean sharded) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
		StatefulConnection<byte[], byte[]> publisher = this.publisher;
		if (this.closed || commands == null || publisher == null || !publisher.isOpen()) {
			failed(channel, new BackplaneException("Redis is not connected"));
			return;
		}
		CompletableFuture<Long> sent = (sharded ? commands.spublish(channel, envelope)
				: commands.publish(channel, envelope))
			.toCompletableFuture();
		sent.orTimeout(this.publishTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((receivers, failure) -> {
			if (failure != null) {
				failed(channel, failure);
			}
			else {
				this.published.increment();
			}
		});
	}

	/**
	 * Count a failed publish, and report it unless a failure was reported less than a
	 * second ago: an outage at a thousand broadcasts a second makes one report a second,
	 * which says how many failed since the last.
	 */
	private void failed(byte[] channel, Throwable failure) {
		this.failed.increment();
		long unreported = this.unreported.incrementAndGet();
		long now = System.nanoTime();
		long last = this.lastReport.get();
		if (now - last < REPORT_INTERVAL_NANOS || !this.lastReport.compareAndSet(last, now)) {
			return;
		}
		this.unreported.addAndGet(-unreported);
		Node node = this.node;
		if (node != null) {
			Throwable cause = (failure instanceof ExecutionException && failure.getCause() != null) ? failure.getCause()
					: failure;
			String reason = (cause instanceof TimeoutException) ? "no reply within " + this.publishTimeout
					: String.valueOf(cause.getMessage());
			String count = (unreported > 1) ? " (" + unreported + " publishes failed since the last report)" : "";
			node.error(new BackplaneException("Publishing a broadcast of node '" + this.nodeId + "' to '" + str(channel)
					+ "' failed: " + reason + count, cause));
		}
	}

	@Override
	public void roomChanged(String room) {
		if (!this.sharded) {
			return;
		}
		synchronized (this.shardSubscriptions) {
			Node node = this.node;
			StatefulRedisPubSubConnection<byte[], byte[]> subscriber = this.subscriber;
			if (node == null || subscriber == null || this.closed) {
				return;
			}
			boolean occupied = node.roomSize(room) > 0;
			if (occupied && this.shardSubscriptions.add(room)) {
				subscriber.async().ssubscribe(roomChannel(room));
			}
			else if (!occupied && this.shardSubscriptions.remove(room)) {
				subscriber.async().sunsubscribe(roomChannel(room));
			}
		}
	}

	@Override
	public long clusterSize() {
		return count("s");
	}

	@Override
	public long clusterSize(String room) {
		return count("r:" + room);
	}

	private long count(String field) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
		if (commands == null) {
			throw new IllegalStateException("Backplane of node '" + this.nodeId + "' is not started");
		}
		Long count = await(commands.eval(COUNT_SCRIPT, ScriptOutputType.INTEGER, new byte[][] { this.nodesKey },
				bytes(nodeKeyPrefix()), bytes(field)), "Reading the cluster count");
		return (count != null) ? count : 0;
	}

	@Override
	public boolean isConnected() {
		StatefulConnection<byte[], byte[]> publisher = this.publisher;
		StatefulRedisPubSubConnection<byte[], byte[]> subscriber = this.subscriber;
		return !this.closed && publisher != null && publisher.isOpen() && subscriber != null && subscriber.isOpen();
	}

	@Override
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * Return the channel and key prefix.
	 * @return the prefix
	 */
	public String channelPrefix() {
		return this.prefix;
	}

	/**
	 * Return the number of envelopes this node published.
	 * @return the number of successful publishes
	 */
	public long published() {
		return this.published.sum();
	}

	/**
	 * Return the number of envelopes this node failed to publish.
	 * @return the number of failed publishes
	 */
	public long publishFailures() {
		return this.failed.sum();
	}

	/**
	 * Return the number of other nodes' envelopes this node delivered.
	 * @return the number of envelopes received
	 */
	public long received() {
		EnvelopeReceiver receiver = this.receiver;
		return (receiver != null) ? receiver.received() : 0;
	}

	/**
	 * Return the number of other nodes' broadcast-channel envelopes this node did not
	 * receive: published while its subscription was down, or not published at all (those
	 * their node counts as failed publishes too). Counted when the next envelope of the
	 * same node arrives; envelopes on room channels (sharded mode) are not counted.
	 * @return the number of envelopes missed
	 */
	public long missed() {
		EnvelopeReceiver receiver = this.receiver;
		return (receiver != null) ? receiver.missed() : 0;
	}

	@Override
	public void close() {
		synchronized (this.lifecycle) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			ScheduledExecutorService scheduler = this.scheduler;
			if (scheduler != null) {
				scheduler.shutdownNow();
			}
			RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
			if (commands != null) {
				try {
					await(commands.eval(LEAVE_SCRIPT, ScriptOutputType.INTEGER,
							new byte[][] { this.nodesKey, this.nodeKey }, bytes(this.nodeId)), "Leaving the cluster");
				}
				catch (BackplaneException ex) {
					// The counts forget this node when it expires
				}
			}
			if (this.subscriber != null) {
				this.subscriber.closeAsync();
			}
			if (this.publisher != null) {
				this.publisher.closeAsync();
			}
		}
	}

	private void heartbeat() {
		Node node = this.node;
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
		if (node == null || commands == null || this.closed) {
			return;
		}
		Map<String, Integer> rooms = node.rooms();
		List<byte[]> args = new ArrayList<>(3 + rooms.size() * 2);
		args.add(bytes(Long.toString(this.heartbeatPeriod.toMillis() * 3)));
		args.add(bytes(this.nodeId));
		args.add(bytes(Integer.toString(node.size())));
		rooms.forEach((room, size) -> {
			args.add(bytes(room));
			args.add(bytes(Integer.toString(size)));
		});
		try {
			await(commands.eval(HEARTBEAT_SCRIPT, ScriptOutputType.INTEGER,
					new byte[][] { this.nodesKey, this.nodeKey }, args.toArray(new byte[0][])),
					"Writing the counts of node '" + this.nodeId + "'");
		}
		catch (BackplaneException ex) {
			// Redis is away: health shows it, and the next heartbeat tries again
		}
	}

	private <T> @Nullable T await(CompletableFuture<T> future, String what) {
		try {
			return future.get(this.publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackplaneException(what + " was interrupted", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new BackplaneException(what + " failed: " + cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			throw new BackplaneException(what + " got no reply within " + this.publishTimeout, ex);
		}
	}

	private <T> @Nullable T await(io.lettuce.core.RedisFuture<T> future, String what) {
		return await(future.toCompletableFuture(), what);
	}

	private String nodeKeyPrefix() {
		return "{" + this.prefix + "}:node:";
	}

	private byte[] roomChannel(String room) {
		return bytes(this.prefix + ":room:" + room);
	}

	private static @Nullable String roomOf(Target target) {
		if (target instanceof Target.Room room) {
			return room.name();
		}
		if (target instanceof Target.Except except) {
			return roomOf(except.target());
		}
		return null;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String str(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "RedisBackplane[node=" + this.nodeId + ", prefix=" + this.prefix + (this.sharded ? ", sharded" : "")
				+ "]";
	}

	/**
	 * Builds a {@link RedisBackplane}. Not thread-safe.
	 */
	public static final class Builder {

		private final AbstractRedisClient client;

		private @Nullable String nodeId;

		private String channelPrefix = DEFAULT_CHANNEL_PREFIX;

		private Duration publishTimeout = DEFAULT_PUBLISH_TIMEOUT;

		private int maxEnvelopeSize = DEFAULT_MAX_ENVELOPE_SIZE;

		private boolean sharded;

		private Duration heartbeatPeriod = DEFAULT_HEARTBEAT_PERIOD;

		private Builder(AbstractRedisClient client) {
			this.client = Objects.requireNonNull(client, "client");
		}

		/**
		 * Set this node's id, unique in the cluster. Defaults to a random UUID.
		 * @param nodeId the node id, or {@code null} for a random one
		 * @return this builder
		 */
		public Builder nodeId(@Nullable String nodeId) {
			this.nodeId = nodeId;
			return this;
		}

		/**
		 * Set the prefix of the channels and keys, so that several applications can share
		 * one Redis.
		 * @param channelPrefix the prefix
		 * @return this builder
		 * @throws IllegalArgumentException if the prefix is empty
		 */
		public Builder channelPrefix(String channelPrefix) {
			if (channelPrefix.isEmpty()) {
				throw new IllegalArgumentException("Channel prefix must not be empty");
			}
			this.channelPrefix = channelPrefix;
			return this;
		}

		/**
		 * Set the time a publish may take before it counts as failed.
		 * @param publishTimeout the timeout, positive
		 * @return this builder
		 * @throws IllegalArgumentException if the timeout is not positive
		 */
		public Builder publishTimeout(Duration publishTimeout) {
			if (publishTimeout.isNegative() || publishTimeout.isZero()) {
				throw new IllegalArgumentException("Publish timeout must be positive, was " + publishTimeout);
			}
			this.publishTimeout = publishTimeout;
			return this;
		}

		/**
		 * Set the largest envelope a broadcast may take; a larger broadcast is refused.
		 * @param maxEnvelopeSize the size in bytes, positive
		 * @return this builder
		 * @throws IllegalArgumentException if the size is not positive
		 */
		public Builder maxEnvelopeSize(int maxEnvelopeSize) {
			if (maxEnvelopeSize <= 0) {
				throw new IllegalArgumentException("Maximum envelope size must be positive, was " + maxEnvelopeSize);
			}
			this.maxEnvelopeSize = maxEnvelopeSize;
			return this;
		}

		/**
		 * Set whether room broadcasts use sharded pub/sub on a channel per room (Redis 7
		 * Cluster).
		 * @param sharded whether to shard room broadcasts
		 * @return this builder
		 */
		public Builder sharded(boolean sharded) {
			this.sharded = sharded;
			return this;
		}

		/**
		 * Set the interval between this node's count updates; a node that stops without
		 * closing leaves the counts after three.
		 * @param heartbeatPeriod the interval, positive
		 * @return this builder
		 * @throws IllegalArgumentException if the interval is not positive
		 */
		public Builder heartbeatPeriod(Duration heartbeatPeriod) {
			if (heartbeatPeriod.toMillis() <= 0) {
				throw new IllegalArgumentException("Heartbeat period must be at least 1ms, was " + heartbeatPeriod);
			}
			this.heartbeatPeriod = heartbeatPeriod;
			return this;
		}

		/**
		 * Build the backplane; it connects when a hub starts it.
		 * @return the backplane
		 * @throws IllegalArgumentException if sharded mode is set without a cluster
		 * client
		 */
		public RedisBackplane build() {
			return new RedisBackplane(this);
		}

	}

}
