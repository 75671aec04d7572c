package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.jspecify.annotations.Nullable;

/**
 * The websocket-shootout protocol spoken by the clients of a {@link ClientPool}: sends
 * echo requests and broadcasts from random clients and tracks the broadcasts' delivery to
 * every open client. Not thread-safe: use it on the pool's thread.
 */
final class ShootoutClients {

	/** A step stops sending broadcasts after this many timed out. */
	private static final int MAX_TIMEOUTS = 3;

	private static final byte[] TYPE_FIELD = utf8("\"type\":\"");

	private static final byte[] ID_FIELD = utf8("\"id\":");

	private static final byte[] LISTENER_COUNT_FIELD = utf8("\"listenerCount\":");

	private static final byte[] BROADCAST_RESULT_TYPE = utf8("broadcastResult\"");

	private static final byte[] BROADCAST_TYPE = utf8("broadcast\"");

	private static final byte[] ECHO_TYPE = utf8("echo\"");

	/** What a {@code "pad"} field adds to a message besides its characters. */
	private static final int PAD_FIELD_OVERHEAD = ",\"pad\":\"\"".length();

	private final ClientPool pool;

	private final Random random = new Random(42);

	private long nextBroadcastId = 1;

	private @Nullable BroadcastStep step;

	private byte @Nullable [] expectedEcho;

	private @Nullable Client echoClient;

	private boolean echoReceived;

	private long unexpectedMessages;

	/** Broadcast messages are padded to this many bytes; 0 for no padding. */
	private int messageSize;

	private String padding = "";

	/**
	 * Speak the protocol with the clients of the given pool, receiving every message they
	 * receive.
	 */
	ShootoutClients(ClientPool pool) {
		this.pool = pool;
		pool.onMessage(this::onMessage);
	}

	long unexpectedMessages() {
		return this.unexpectedMessages + this.pool.unexpectedMessages();
	}

	/**
	 * Pad every broadcast sent from now on with a field of ASCII characters, so that the
	 * request and the message every client receives are {@code bytes} long. A broadcast
	 * is not padded if it is that long without padding.
	 * @param bytes the size of the messages, 0 for no padding
	 */
	void messageSize(int bytes) {
		this.messageSize = bytes;
		this.padding = "x".repeat(Math.max(0, bytes));
	}

	/**
	 * Send an echo request from a random client and wait for the same message back.
	 * @return whether the echo came back unchanged within the timeout
	 */
	boolean verifyEcho(Duration timeout) throws IOException {
		List<Client> open = this.pool.openClients();
		Client client = open.get(this.random.nextInt(open.size()));
		byte[] message = utf8("{\"type\":\"echo\",\"payload\":{\"id\":0,\"check\":\"echo \\u00e9\"}}");
		this.expectedEcho = message;
		this.echoClient = client;
		this.echoReceived = false;
		this.pool.send(client, Frames.text(message, this.random));
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.echoReceived && System.nanoTime() - deadline < 0) {
			this.pool.poll(10);
		}
		this.expectedEcho = null;
		this.echoClient = null;
		return this.echoReceived;
	}

	/**
	 * Send {@code count} broadcasts from random clients, {@code concurrency} at a time,
	 * and track their delivery to every open client.
	 * @param count the number of broadcasts
	 * @param concurrency how many broadcasts may be in flight at once
	 * @param timeout how long one broadcast may take before its missing deliveries are
	 * given up; after three timeouts the step sends no more broadcasts, and a step lasts
	 * at most five minutes plus three timeouts
	 * @param probe the server's CPU probe, or {@code null}
	 * @return the step's results
	 */
	StepResult broadcast(int count, int concurrency, Duration timeout, @Nullable ServerProbe probe) throws IOException {
		BroadcastStep step = new BroadcastStep(this.nextBroadcastId, count, this.pool.size());
		this.nextBroadcastId += count;
		this.step = step;
		long timeoutNanos = timeout.toNanos();
		long stepDeadline = System.nanoTime() + timeoutNanos * 3 + Duration.ofMinutes(5).toNanos();
		ServerProbe.CpuSample serverCpu = (probe != null) ? probe.cpu() : null;
		long clientTicks = ServerProbe.selfCpuTicks();
		long frames = this.pool.dataFrames();
		long messages = this.pool.dataMessages();
		long started = System.nanoTime();
		while (step.completed < step.sent || (step.sent < count && step.timedOut() < MAX_TIMEOUTS)) {
			if (System.nanoTime() - stepDeadline > 0) {
				break;
			}
			while (step.active < concurrency && step.sent < count && step.timedOut() < MAX_TIMEOUTS) {
				sendBroadcast(step);
			}
			// Busy polling: on loopback the sending server's kernel wakes a sleeping
			// client, and that wake-up would count as the server's CPU time.
			this.pool.poll(0);
			step.expire(System.nanoTime(), timeoutNanos);
		}
		long finished = System.nanoTime();
		ServerProbe.CpuSample serverCpuUsed = (probe != null && serverCpu != null) ? probe.cpu().minus(serverCpu)
				: null;
		long clientTicksUsed = ServerProbe.selfCpuTicks() - clientTicks;
		step.framesReceived(this.pool.dataFrames() - frames, this.pool.dataMessages() - messages);
		long settle = System.nanoTime() + Duration.ofMillis(300).toNanos();
		while (System.nanoTime() - settle < 0) {
			this.pool.poll(10);
		}
		this.step = null;
		return step.result(finished - started, serverCpuUsed, clientTicksUsed);
	}

	private void sendBroadcast(BroadcastStep step) {
		List<Client> open = this.pool.openClients();
		Client sender = open.get(this.random.nextInt(open.size()));
		long id = step.firstId + step.sent;
		StringBuilder message = new StringBuilder(Math.max(128, this.messageSize));
		message.append("{\"type\":\"broadcast\",\"payload\":{\"id\":")
			.append(id)
			.append(",\"sendTime\":")
			.append(System.currentTimeMillis());
		int pad = this.messageSize - message.length() - PAD_FIELD_OVERHEAD - 2;
		if (pad >= 0) {
			message.append(",\"pad\":\"").append(this.padding, 0, pad).append('"');
		}
		message.append("}}");
		step.started(id, sender.index, System.nanoTime());
		this.pool.send(sender, Frames.text(utf8(message.toString()), this.random));
	}

	private void onMessage(Client client, byte[] data, int offset, int length) {
		int end = offset + length;
		int type = ClientPool.indexOf(data, offset, end, TYPE_FIELD);
		if (type < 0) {
			this.unexpectedMessages++;
			return;
		}
		int value = type + TYPE_FIELD.length;
		BroadcastStep step = this.step;
		if (startsWith(data, value, end, BROADCAST_RESULT_TYPE)) {
			long id = number(data, value, end, ID_FIELD);
			long listeners = number(data, value, end, LISTENER_COUNT_FIELD);
			if (step != null) {
				step.resultReceived(id, client.index, (int) listeners, System.nanoTime());
			}
			else {
				this.unexpectedMessages++;
			}
		}
		else if (startsWith(data, value, end, BROADCAST_TYPE)) {
			long id = number(data, value, end, ID_FIELD);
			if (step != null) {
				step.delivered(id, client.index, length, System.nanoTime());
			}
			else {
				this.unexpectedMessages++;
			}
		}
		else if (startsWith(data, value, end, ECHO_TYPE) && client == this.echoClient && this.expectedEcho != null
				&& Arrays.equals(data, offset, end, this.expectedEcho, 0, this.expectedEcho.length)) {
			this.echoReceived = true;
		}
		else {
			this.unexpectedMessages++;
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static boolean startsWith(byte[] data, int from, int to, byte[] prefix) {
		return to - from >= prefix.length && Arrays.equals(data, from, from + prefix.length, prefix, 0, prefix.length);
	}

	private static long number(byte[] data, int from, int to, byte[] field) {
		int at = ClientPool.indexOf(data, from, to, field);
		if (at < 0) {
			return -1;
		}
		long value = 0;
		boolean digits = false;
		for (int i = at + field.length; i < to && data[i] >= '0' && data[i] <= '9'; i++) {
			value = value * 10 + (data[i] - '0');
			digits = true;
		}
		return digits ? value : -1;
	}

}
