package dev.tutti.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.tutti.Backplane;
import dev.tutti.BackplaneException;
import io.lettuce.core.pubsub.RedisPubSubListener;

/**
 * Delivers the envelopes of other nodes to this node's hub, on Lettuce's event loop, in
 * the order they arrive; skips this node's own, and counts and reports the broadcast
 * channel's envelopes that never arrived (a gap in their node's consecutive ids).
 */
final class EnvelopeReceiver implements RedisPubSubListener<byte[], byte[]> {

	private final String nodeId;

	private final Backplane.Node node;

	/**
	 * The id of the last envelope received from each other node on the broadcast channel.
	 */
	private final Map<String, Long> lastReceived = new ConcurrentHashMap<>();

	private final LongAdder received = new LongAdder();

	private final LongAdder missed = new LongAdder();

	EnvelopeReceiver(String nodeId, Backplane.Node node) {
		this.nodeId = nodeId;
		this.node = node;
	}

	long received() {
		return this.received.sum();
	}

	long missed() {
		return this.missed.sum();
	}

	@Override
	public void message(byte[] channel, byte[] message) {
		receive(message, true);
	}

	@Override
	public void smessage(byte[] channel, byte[] message) {
		receive(message, false);
	}

	@Override
	public void message(byte[] pattern, byte[] channel, byte[] message) {
		receive(message, false);
	}

	private void receive(byte[] message, boolean broadcastChannel) {
		if (this.nodeId.equals(Envelope.origin(message))) {
			return;
		}
		try {
			Envelope envelope = Envelope.decode(message);
			if (broadcastChannel) {
				checkSequence(envelope);
			}
			this.received.increment();
			if (envelope.binary()) {
				this.node.deliverBinary(envelope.target(), envelope.payload());
			}
			else {
				this.node.deliver(envelope.target(), new String(envelope.payload(), StandardCharsets.UTF_8));
			}
		}
		catch (RuntimeException ex) {
			this.node.error(
					new BackplaneException("Envelope refused by node '" + this.nodeId + "': " + ex.getMessage(), ex));
		}
	}

	/**
	 * Count and report the envelopes of a node that did not arrive before this one, on
	 * the broadcast channel. An id that is not beyond the last one means that node
	 * started again, its ids from the beginning.
	 */
	private void checkSequence(Envelope envelope) {
		Long last = this.lastReceived.put(envelope.origin(), envelope.id());
		if (last != null && envelope.id() > last + 1) {
			long gap = envelope.id() - last - 1;
			this.missed.add(gap);
			this.node.error(new BackplaneException("Node '" + this.nodeId + "' did not receive " + gap
					+ " broadcast(s) of node '" + envelope.origin() + "' (ids " + (last + 1) + " to "
					+ (envelope.id() - 1) + "): published while its subscription to Redis was down, or not published"));
		}
	}

	@Override
	public void subscribed(byte[] channel, long count) {
	}

	@Override
	public void psubscribed(byte[] pattern, long count) {
	}

	@Override
	public void unsubscribed(byte[] channel, long count) {
	}

	@Override
	public void punsubscribed(byte[] pattern, long count) {
	}

}
