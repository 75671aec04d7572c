package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for session attributes and handshake data.
 */
class SessionAttributesTests {

	private final Hub hub = Hub.create();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void setsGetsAndRemovesAttributes() {
		Session session = open(new TestConnection());
		assertThat(session.keys()).isEmpty();
		session.set("user", "alice");
		session.set("count", 3);
		assertThat(session.get("user")).isEqualTo("alice");
		assertThat(session.get("user", String.class)).isEqualTo("alice");
		assertThat(session.get("count", Integer.class)).isEqualTo(3);
		assertThat(session.get("missing", String.class)).isNull();
		assertThat(session.keys()).containsExactlyInAnyOrder("user", "count");
		assertThat(session.remove("user")).isEqualTo("alice");
		assertThat(session.remove("user")).isNull();
		assertThat(session.get("user")).isNull();
		assertThat(session.keys()).containsExactly("count");
	}

	@Test
	void typedGetOfWrongTypeThrows() {
		Session session = open(new TestConnection());
		session.set("count", 3);
		assertThatExceptionOfType(ClassCastException.class).isThrownBy(() -> session.get("count", String.class));
	}

	@Test
	void keysAreASnapshot() {
		Session session = open(new TestConnection());
		session.set("a", 1);
		var keys = session.keys();
		session.set("b", 2);
		assertThat(keys).containsExactly("a");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> keys.add("c"));
	}

	@Test
	void attributesAreThreadSafe() throws Exception {
		Session session = open(new TestConnection());
		int threads = 100;
		int perThread = 100;
		ExecutorService executor = Executors.newFixedThreadPool(16);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int id = t;
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						String key = id + "-" + i;
						session.set(key, i);
						assertThat(session.get(key, Integer.class)).isEqualTo(i);
						if (i % 20 == 0) {
							assertThat(session.keys()).contains(key);
						}
						if (i % 2 == 1) {
							assertThat(session.remove(key)).isEqualTo(i);
						}
					}
					session.set("shared", id);
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(10, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(session.keys()).hasSize(threads * perThread / 2 + 1);
		for (int t = 0; t < threads; t++) {
			for (int i = 0; i < perThread; i++) {
				assertThat(session.get(t + "-" + i)).isEqualTo((i % 2 == 0) ? i : null);
			}
		}
		assertThat(session.get("shared", Integer.class)).isBetween(0, threads - 1);
	}

	@Test
	void handshakeAttributesSeedTheSession() {
		TestConnection connection = new TestConnection();
		connection.handshakeAttributesToSeed().put("user", "alice");
		connection.handshakeAttributesToSeed().put("room", 42);
		Session session = open(connection);
		assertThat(session.get("user")).isEqualTo("alice");
		assertThat(session.get("room", Integer.class)).isEqualTo(42);
		session.set("user", "bob");
		assertThat(connection.handshakeAttributesToSeed()).containsEntry("user", "alice");
	}

	@Test
	void exposesConnectionDetails() {
		TestConnection connection = new TestConnection(URI.create("ws://localhost/chat?room=1"));
		Session session = open(connection);
		assertThat(session.id()).isNotBlank();
		assertThat(session.uri()).isEqualTo(URI.create("ws://localhost/chat?room=1"));
		assertThat(session.headers()).containsEntry("Origin", List.of("http://localhost"));
		assertThat(session.remoteAddress()).isEqualTo(InetSocketAddress.createUnresolved("client.example", 40000));
		assertThat(session.localAddress()).isEqualTo(InetSocketAddress.createUnresolved("localhost", 8080));
		assertThat(session.principal()).isNull();
		assertThat(session.toString()).contains(session.id());
	}

	@Test
	void sessionIdsAreUnique() {
		Session first = open(new TestConnection());
		Session second = open(new TestConnection());
		assertThat(first.id()).isNotEqualTo(second.id());
	}

	@Test
	void decodesQueryParameters() {
		Session session = open(new TestConnection(
				URI.create("ws://localhost/ws?name=J%C3%BCrgen+M&tag=a&tag=b%26c&flag&empty=&=anonymous&&x=1%3D2")));
		Map<String, List<String>> parameters = session.queryParameters();
		assertThat(parameters).containsEntry("name", List.of("J\u00fcrgen M"))
			.containsEntry("tag", List.of("a", "b&c"))
			.containsEntry("flag", List.of(""))
			.containsEntry("empty", List.of(""))
			.containsEntry("", List.of("anonymous"))
			.containsEntry("x", List.of("1=2"))
			.hasSize(6);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> parameters.put("other", List.of()));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> parameters.get("tag").add("d"));
	}

	@Test
	void uriWithoutQueryHasNoParameters() {
		assertThat(open(new TestConnection(URI.create("ws://localhost/ws"))).queryParameters()).isEmpty();
		assertThat(open(new TestConnection(URI.create("ws://localhost/ws?"))).queryParameters()).isEmpty();
	}

	@Test
	void malformedEscapesDoNotThrow() throws Exception {
		Session session = open(new TestConnection(URI.create("ws://localhost/ws?bad=%C3%28&worse=%FF&ok=1")));
		assertThat(session.queryParameters()).containsEntry("bad", List.of("\ufffd("))
			.containsEntry("worse", List.of("\ufffd"))
			.containsEntry("ok", List.of("1"));
		Session quoted = open(new TestConnection(new URI("ws", "localhost", "/ws", "a=%zz&b=100%", null)));
		assertThat(quoted.queryParameters()).containsEntry("a", List.of("%zz")).containsEntry("b", List.of("100%"));
	}

	@Test
	void handshakeRequestExposesQueryParametersAndHeaders() {
		HandshakeRequest request = new HandshakeRequest(URI.create("ws://localhost/ws?token=a%20b"),
				Map.of("X-Custom", List.of("one", "two")), null, null);
		assertThat(request.queryParameters()).containsEntry("token", List.of("a b"));
		assertThat(request.header("x-custom")).isEqualTo("one");
		assertThat(request.header("missing")).isNull();
		assertThat(request.attributes()).isEmpty();
	}

	private Session open(TestConnection connection) {
		connection.open(this.hub);
		return connection.session();
	}

}
