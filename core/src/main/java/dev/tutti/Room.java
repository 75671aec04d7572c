package dev.tutti;

import java.util.Objects;
import java.util.Set;

/**
 * A named group of sessions of one {@link Hub}, obtained with {@link Hub#room(String)}.
 * Sessions enter with {@link Session#join(String)} and leave with
 * {@link Session#leave(String)} or by disconnecting; a room exists while it has members.
 * <p>
 * A room broadcast costs time proportional to the room's size, never a scan of every
 * session. This object is a light view: it can be held or recreated freely, and works for
 * a room that is empty or does not exist yet. Thread-safe.
 */
public final class Room {

	private final Hub hub;

	private final String name;

	Room(Hub hub, String name) {
		this.hub = hub;
		this.name = Objects.requireNonNull(name, "name");
	}

	/**
	 * Return the room's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Broadcast a text message to the room's members.
	 * @param text the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcast(String text) {
		return this.hub.broadcast(Target.room(this.name), text);
	}

	/**
	 * Broadcast a binary message to the room's members. The array is copied once.
	 * @param data the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinary(byte[] data) {
		return this.hub.broadcastBinary(Target.room(this.name), data);
	}

	/**
	 * Encode a value once with the hub's codec and broadcast it to the room's members.
	 * @param value the value
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 * @throws IllegalStateException if the hub has no codec
	 */
	public BroadcastResult broadcastJson(Object value) {
		return this.hub.broadcastJson(Target.room(this.name), value);
	}

	/**
	 * Broadcast a text message to the room's members but one, such as the sender.
	 * @param except the session that does not receive it
	 * @param text the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastOthers(Session except, String text) {
		return this.hub.broadcast(Target.room(this.name).except(except), text);
	}

	/**
	 * Encode a value once with the hub's codec and broadcast it to the room's members but
	 * one, such as the sender.
	 * @param except the session that does not receive it
	 * @param value the value
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 * @throws IllegalStateException if the hub has no codec
	 */
	public BroadcastResult broadcastJsonOthers(Session except, Object value) {
		return this.hub.broadcastJson(Target.room(this.name).except(except), value);
	}

	/**
	 * Return a snapshot of the room's members.
	 * @return the members
	 */
	public Set<Session> members() {
		return Set.copyOf(this.hub.registry().rooms().members(this.name));
	}

	/**
	 * Return the number of members.
	 * @return the number of members, 0 for an empty room
	 */
	public int size() {
		return this.hub.registry().rooms().members(this.name).size();
	}

	/**
	 * Return the number of members on every instance of the cluster, as the hub's
	 * backplane last heard from each, or {@link #size()} when the hub has no backplane.
	 * @return the number of members
	 * @throws BackplaneException if the backplane cannot read the count
	 */
	public long clusterSize() {
		Backplane backplane = this.hub.backplane();
		return (backplane != null) ? backplane.clusterSize(this.name) : size();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Room room && room.hub == this.hub && room.name.equals(this.name);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode();
	}

	@Override
	public String toString() {
		return "Room[" + this.name + "]";
	}

}
