package dev.tutti.redis;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.tutti.Target;

/**
 * One broadcast on the wire: who sent it, who it is for and what it says, encoded once on
 * the publishing node. The layout, all integers big-endian:
 *
 * <pre>
 * byte     version          1
 * byte     kind             0 text (UTF-8 payload), 1 binary
 * string   origin node id
 * int64    message id       per origin node, from 1; consecutive on the broadcast channel
 * target   recipients
 * bytes    payload          the rest of the envelope
 *
 * string = int32 length + UTF-8 bytes
 * target = byte tag, then by tag:
 *          0 all
 *          1 room             string name
 *          2 session ids      int32 count, string each
 *          3 attribute equals string key, value
 *          4 except           string session id, target
 * value  = byte type, then: 's' string, 'i' int32, 'l' int64, 'd' float64, 'b' byte 0/1
 * </pre>
 *
 * A node refuses an envelope of another version with a clear error, so that nodes of two
 * releases never misread each other.
 *
 * @param origin the id of the node that published it
 * @param id the message id, per origin node
 * @param target the recipients
 * @param binary whether the payload is a binary message
 * @param payload the message
 */
record Envelope(String origin, long id, Target target, boolean binary, byte[] payload) {

	/** The layout version this release writes and reads. */
	static final byte VERSION = 1;

	/**
	 * Encode the envelope.
	 * @throws IllegalArgumentException if the target holds an attribute value of a type
	 * the envelope cannot carry, or the envelope would exceed the maximum size
	 */
	byte[] encode(int maxSize) {
		Writer writer = new Writer(64 + this.payload.length);
		writer.buffer.put(VERSION);
		writer.buffer.put((byte) (this.binary ? 1 : 0));
		writer.string(this.origin);
		writer.ensure(8);
		writer.buffer.putLong(this.id);
		writer.target(this.target);
		writer.ensure(this.payload.length);
		writer.buffer.put(this.payload);
		int size = writer.buffer.position();
		if (size > maxSize) {
			throw new IllegalArgumentException(
					"Broadcast envelope of " + size + " bytes exceeds the maximum envelope size of " + maxSize
							+ " bytes (tutti.cluster.max-envelope-size)");
		}
		byte[] bytes = new byte[size];
		writer.buffer.flip();
		writer.buffer.get(bytes);
		return bytes;
	}

	/**
	 * Decode an envelope.
	 * @throws IllegalArgumentException if the bytes are not an envelope of this version
	 */
	static Envelope decode(byte[] bytes) {
		if (bytes.length == 0) {
			throw new IllegalArgumentException("Empty envelope");
		}
		if (bytes[0] != VERSION) {
			throw new IllegalArgumentException(
					"Envelope of version " + bytes[0] + " cannot be read: this node reads version " + VERSION
							+ " (are two releases sharing the channel?)");
		}
		try {
			ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
			boolean binary = kind(buffer.get());
			String origin = string(buffer);
			long id = buffer.getLong();
			Target target = target(buffer, 0);
			byte[] payload = new byte[buffer.remaining()];
			buffer.get(payload);
			return new Envelope(origin, id, target, binary, payload);
		}
		catch (BufferUnderflowException | IndexOutOfBoundsException ex) {
			throw new IllegalArgumentException("Truncated envelope of " + bytes.length + " bytes", ex);
		}
	}

	/**
	 * Read only the origin node id, to skip this node's own envelopes cheaply.
	 */
	static String origin(byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		if (bytes.length < 6 || buffer.get() != VERSION) {
			return "";
		}
		buffer.get();
		try {
			return string(buffer);
		}
		catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException ex) {
			return "";
		}
	}

	private static boolean kind(byte kind) {
		if (kind != 0 && kind != 1) {
			throw new IllegalArgumentException("Unknown message kind " + kind + " in envelope");
		}
		return kind == 1;
	}

	private static Target target(ByteBuffer buffer, int depth) {
		byte tag = buffer.get();
		switch (tag) {
			case 0:
				return Target.all();
			case 1:
				return Target.room(string(buffer));
			case 2:
				int count = buffer.getInt();
				if (count < 0 || count > buffer.remaining() / 4) {
					throw new IllegalArgumentException("Invalid session id count " + count + " in envelope");
				}
				List<String> ids = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					ids.add(string(buffer));
				}
				return Target.sessions(ids);
			case 3:
				String key = string(buffer);
				return Target.attributeEquals(key, value(buffer));
			case 4:
				if (depth > 8) {
					throw new IllegalArgumentException("Target nested too deep in envelope");
				}
				String sessionId = string(buffer);
				return target(buffer, depth + 1).except(sessionId);
			default:
				throw new IllegalArgumentException("Unknown target tag " + tag + " in envelope");
		}
	}

	private static Object value(ByteBuffer buffer) {
		byte type = buffer.get();
		switch (type) {
			case 's':
				return string(buffer);
			case 'i':
				return buffer.getInt();
			case 'l':
				return buffer.getLong();
			case 'd':
				return buffer.getDouble();
			case 'b':
				return buffer.get() != 0;
			default:
				throw new IllegalArgumentException("Unknown attribute value type " + type + " in envelope");
		}
	}

	private static String string(ByteBuffer buffer) {
		int length = buffer.getInt();
		if (length < 0 || length > buffer.remaining()) {
			throw new IllegalArgumentException("Invalid string length " + length + " in envelope");
		}
		String value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length,
				StandardCharsets.UTF_8);
		buffer.position(buffer.position() + length);
		return value;
	}

	/**
	 * A growing buffer.
	 */
	private static final class Writer {

		ByteBuffer buffer;

		Writer(int capacity) {
			this.buffer = ByteBuffer.allocate(capacity);
		}

		void ensure(int more) {
			if (this.buffer.remaining() < more) {
				ByteBuffer larger = ByteBuffer
					.allocate(Math.max(this.buffer.capacity() * 2, this.buffer.position() + more));
				this.buffer.flip();
				larger.put(this.buffer);
				this.buffer = larger;
			}
		}

		void string(String value) {
			byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
			ensure(4 + bytes.length);
			this.buffer.putInt(bytes.length);
			this.buffer.put(bytes);
		}

		void target(Target target) {
			ensure(5);
			if (target instanceof Target.All) {
				this.buffer.put((byte) 0);
			}
			else if (target instanceof Target.Room room) {
				this.buffer.put((byte) 1);
				string(room.name());
			}
			else if (target instanceof Target.Sessions sessions) {
				this.buffer.put((byte) 2);
				this.buffer.putInt(sessions.ids().size());
				sessions.ids().forEach(this::string);
			}
			else if (target instanceof Target.AttributeEquals attribute) {
				this.buffer.put((byte) 3);
				string(attribute.key());
				value(attribute.key(), attribute.value());
			}
			else if (target instanceof Target.Except except) {
				this.buffer.put((byte) 4);
				string(except.sessionId());
				target(except.target());
			}
			else {
				throw new IllegalArgumentException("Target " + target + " cannot cross the cluster");
			}
		}

		private void value(String key, Object value) {
			ensure(9);
			if (value instanceof String string) {
				this.buffer.put((byte) 's');
				string(string);
			}
			else if (value instanceof Integer number) {
				this.buffer.put((byte) 'i').putInt(number);
			}
			else if (value instanceof Long number) {
				this.buffer.put((byte) 'l').putLong(number);
			}
			else if (value instanceof Double number) {
				this.buffer.put((byte) 'd').putDouble(number);
			}
			else if (value instanceof Boolean bool) {
				this.buffer.put((byte) 'b').put((byte) (bool ? 1 : 0));
			}
			else {
				throw new IllegalArgumentException("Value of attribute '" + key + "' is a " + value.getClass().getName()
						+ ", which cannot cross the cluster: use a String, Integer, Long, Double or Boolean");
			}
		}

	}

}
