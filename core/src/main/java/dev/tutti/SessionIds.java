package dev.tutti;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes session ids: a prefix drawn once per JVM from a {@link SecureRandom}, then a
 * decimal counter, written into a buffer of the calling thread's and copied once into the
 * id. Ids are unique across hubs and application instances (two instances share a prefix
 * with a probability of about 2<sup>-64</sup>), cheap to make, and not secret: an
 * application must not treat a session id as a credential.
 * <p>
 * Not string concatenation: the method handles it compiles to ran uncompiled in a warm
 * server's profile, at about 1 µs an id. Thread-safe.
 */
final class SessionIds {

	private static final byte[] PREFIX = (Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36) + "-")
		.getBytes(StandardCharsets.ISO_8859_1);

	/** The prefix, then room for the 19 digits of the largest counter. */
	private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal
		.withInitial(() -> Arrays.copyOf(PREFIX, PREFIX.length + 19));

	private static final AtomicLong counter = new AtomicLong();

	private SessionIds() {
	}

	static String next() {
		byte[] buffer = BUFFERS.get();
		long count = counter.incrementAndGet();
		int digits = 1;
		for (long rest = count / 10; rest > 0; rest /= 10) {
			digits++;
		}
		int end = PREFIX.length + digits;
		for (int i = end - 1; i >= PREFIX.length; i--) {
			buffer[i] = (byte) ('0' + (int) (count % 10));
			count /= 10;
		}
		return new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
	}

}
