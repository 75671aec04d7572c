package dev.tutti;

import java.util.Map;

/**
 * The service provider interface of a cluster backplane: what relays a hub's broadcasts
 * to the hubs of other application instances (nodes) and keeps cluster-wide counts. A hub
 * has at most one, set with {@link Hub#backplane(Backplane)}; without one, a broadcast
 * costs nothing more than a null check.
 * <p>
 * Every {@link Target} broadcast passes here once, on the publishing node, after its
 * payload was encoded (JSON included): {@link #publish(Target, String)} or
 * {@link #publishBinary(Target, byte[])} is called once per broadcast, before the local
 * sessions are offered the message, never once per recipient. The backplane sends one
 * message to the other nodes, which hand it to their hub through
 * {@link Node#deliver(Target, String)}. A node ignores its own messages: its sessions
 * were served locally. {@link Hub#broadcastLocal(java.util.function.Predicate, String)}
 * never reaches a backplane.
 * <p>
 * Implementations must be thread-safe and must never block a broadcasting thread for
 * longer than a bounded publish timeout; failures of remote publishing are reported to
 * {@link Node#error(Throwable)} and never stop local delivery.
 */
public interface Backplane extends AutoCloseable {

	/**
	 * Start relaying for a hub. Called once, by {@link Hub#backplane(Backplane)}.
	 * @param node the hub as this backplane sees it
	 */
	void start(Node node);

	/**
	 * Publish a text broadcast to the other nodes.
	 * @param target the recipients
	 * @param text the message
	 * @throws IllegalArgumentException if the broadcast cannot cross the wire (too large,
	 * or an attribute value the backplane cannot encode); the broadcast is then refused
	 * on this node as well
	 */
	void publish(Target target, String text);

	/**
	 * Publish a binary broadcast to the other nodes.
	 * @param target the recipients
	 * @param data the message; must not be changed or kept after this method returns
	 * @throws IllegalArgumentException if the broadcast cannot cross the wire
	 */
	void publishBinary(Target target, byte[] data);

	/**
	 * Called when a room of this node got its first member or lost its last one; check
	 * {@link Node#roomSize(String)} for the current state, as calls for one room may
	 * race. Does nothing by default.
	 * @param room the room name
	 */
	default void roomChanged(String room) {
	}

	/**
	 * Return the number of sessions open on every node of the cluster, as last reported
	 * by each node.
	 * @return the number of sessions
	 * @throws BackplaneException if the count cannot be read
	 */
	long clusterSize();

	/**
	 * Return the number of members a room has on every node of the cluster, as last
	 * reported by each node.
	 * @param room the room name
	 * @return the number of members
	 * @throws BackplaneException if the count cannot be read
	 */
	long clusterSize(String room);

	/**
	 * Whether the backplane can reach the other nodes now.
	 * @return {@code true} while connected
	 */
	boolean isConnected();

	/**
	 * Return this node's id in the cluster.
	 * @return the node id
	 */
	String nodeId();

	/**
	 * Stop relaying and withdraw this node from the cluster's counts. Called by
	 * {@link Hub#close()}. Idempotent.
	 */
	@Override
	void close();

	/**
	 * The hub of this node, as its backplane sees it. Thread-safe.
	 */
	interface Node {

		/**
		 * Return the hub's name.
		 * @return the name
		 */
		String hubName();

		/**
		 * Offer a text message from another node to this node's sessions of a target.
		 * @param target the recipients
		 * @param text the message
		 * @return what the delivery did; nothing if the hub is closed
		 */
		BroadcastResult deliver(Target target, String text);

		/**
		 * Offer a binary message from another node to this node's sessions of a target.
		 * @param target the recipients
		 * @param data the message, which the hub keeps: the caller must not change it
		 * @return what the delivery did; nothing if the hub is closed
		 */
		BroadcastResult deliverBinary(Target target, byte[] data);

		/**
		 * Return the number of sessions open on this node.
		 * @return the number of sessions
		 */
		int size();

		/**
		 * Return the number of members a room has on this node.
		 * @param room the room name
		 * @return the number of members
		 */
		int roomSize(String room);

		/**
		 * Return this node's rooms that have members, with their sizes.
		 * @return room names to member counts
		 */
		Map<String, Integer> rooms();

		/**
		 * Report a failure of the backplane (a publish that failed, an envelope refused)
		 * to the hub's error handlers, with no session.
		 * @param failure the failure
		 */
		void error(Throwable failure);

	}

}
