package dev.tutti.spring.actuate;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.CloseStatus;
import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;

/**
 * A connection that records what it sends and how it is closed. Its sends complete at
 * once, or, once {@link #stall()} was called, not until {@link #release()}, as for a
 * client that stopped reading.
 */
final class TestConnection implements Connection {

	final List<String> texts = new CopyOnWriteArrayList<>();

	final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

	private final List<SendCallback> stalled = new ArrayList<>();

	private boolean stalling;

	TestConnection stall() {
		synchronized (this.stalled) {
			this.stalling = true;
		}
		return this;
	}

	void release() {
		List<SendCallback> callbacks;
		synchronized (this.stalled) {
			this.stalling = false;
			callbacks = new ArrayList<>(this.stalled);
			this.stalled.clear();
		}
		callbacks.forEach((callback) -> callback.completed(null));
	}

	@Override
	public void sendText(String text, SendCallback callback) {
		this.texts.add(text);
		complete(callback);
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		complete(callback);
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		callback.completed(null);
	}

	@Override
	public void close(int code, String reason) {
		this.closes.add(new CloseStatus(code, reason));
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return null;
	}

	private void complete(SendCallback callback) {
		synchronized (this.stalled) {
			if (this.stalling) {
				this.stalled.add(callback);
				return;
			}
		}
		callback.completed(null);
	}

}
