package dev.tutti;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionIds}: one prefix, then a decimal counter, unique across
 * threads.
 */
class SessionIdsTests {

	@Test
	void idsAreThePrefixAndTheNextDecimalCount() {
		String first = SessionIds.next();
		String second = SessionIds.next();
		String prefix = first.substring(0, first.indexOf('-') + 1);
		assertThat(first).matches("[0-9a-z]+-[1-9][0-9]*");
		assertThat(second).startsWith(prefix);
		assertThat(Long.parseLong(second.substring(prefix.length())))
			.isGreaterThan(Long.parseLong(first.substring(prefix.length())));
	}

	@Test
	void idsAreUniqueAcrossThreads() throws InterruptedException {
		Set<String> ids = ConcurrentHashMap.newKeySet();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < 10_000; i++) {
					ids.add(SessionIds.next());
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(ids).hasSize(40_000);
	}

}
