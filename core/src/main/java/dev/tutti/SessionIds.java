package dev.tutti;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes session ids: a prefix drawn once per JVM from a {@link SecureRandom}, then a
 * decimal counter, joined in one string without intermediate ones. Ids are unique across
 * hubs and application instances (two instances share a prefix with a probability of
 * about 2<sup>-64</sup>), cheap to make, and not secret: an application must not treat a
 * session id as a credential.
 * <p>
 * Thread-safe.
 */
final class SessionIds {

	private static final String PREFIX = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36) + "-";

	private static final AtomicLong counter = new AtomicLong();

	private SessionIds() {
	}

	static String next() {
		return PREFIX + counter.incrementAndGet();
	}

}
