package dev.tutti;

import java.util.Map;

/**
 * A hub as its backplane sees it: delivers other nodes' broadcasts to the hub's own
 * sessions, tells the hub's sizes, and reports the backplane's failures to the error
 * handlers.
 */
final class BackplaneNode implements Backplane.Node {

	private final String hubName;

	private final Broadcaster broadcaster;

	private final SessionRegistry registry;

	private final Handlers handlers;

	BackplaneNode(String hubName, Broadcaster broadcaster, SessionRegistry registry, Handlers handlers) {
		this.hubName = hubName;
		this.broadcaster = broadcaster;
		this.registry = registry;
		this.handlers = handlers;
	}

	@Override
	public String hubName() {
		return this.hubName;
	}

	@Override
	public BroadcastResult deliver(Target target, String text) {
		return deliver(target, Outbound.text(text, 0, null));
	}

	@Override
	public BroadcastResult deliverBinary(Target target, byte[] data) {
		return deliver(target, Outbound.binary(data, 0, null));
	}

	private BroadcastResult deliver(Target target, Outbound message) {
		try {
			return this.broadcaster.deliver(target, message);
		}
		catch (HubClosedException ex) {
			return new BroadcastResult(0, 0);
		}
	}

	@Override
	public int size() {
		return this.registry.size();
	}

	@Override
	public int roomSize(String room) {
		return this.registry.rooms().members(room).size();
	}

	@Override
	public Map<String, Integer> rooms() {
		return this.registry.rooms().sizes();
	}

	@Override
	public void error(Throwable failure) {
		this.handlers.error(null, failure);
	}

}
