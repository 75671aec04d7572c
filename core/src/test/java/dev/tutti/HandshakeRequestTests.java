package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link HandshakeRequest}: the URI kept as a string until asked for, and the
 * one compact copy of the headers.
 */
class HandshakeRequestTests {

	@Test
	void parsesTheUriStringWhenAsked() {
		HandshakeRequest request = new HandshakeRequest("ws://localhost:8080/ws?room=lobby&token=a%20b", Map.of(), null,
				null);
		assertThat(request.queryParameters()).containsEntry("room", List.of("lobby"))
			.containsEntry("token", List.of("a b"));
		URI uri = request.uri();
		assertThat(uri).isEqualTo(URI.create("ws://localhost:8080/ws?room=lobby&token=a%20b"));
		assertThat(request.uri()).isSameAs(uri);
	}

	@Test
	void queryEndsAtTheFragment() {
		HandshakeRequest request = new HandshakeRequest("ws://localhost/ws?a=1#b=2", Map.of(), null, null);
		assertThat(request.queryParameters()).containsOnlyKeys("a");
		assertThat(request.uri().getRawQuery()).isEqualTo("a=1");
	}

	@Test
	void encodesCharactersThatAUriDoesNotAllow() {
		HandshakeRequest request = new HandshakeRequest("ws://localhost/ws?q=a|b&name=J\u00fcrgen", Map.of(), null,
				null);
		assertThat(request.queryParameters()).containsEntry("q", List.of("a|b"))
			.containsEntry("name", List.of("J\u00fcrgen"));
		assertThat(request.uri().getRawQuery()).isEqualTo("q=a%7Cb&name=J%C3%BCrgen");
		assertThat(request.uri().getQuery()).isEqualTo("q=a|b&name=J\u00fcrgen");
	}

	@Test
	void uriThatCannotBeParsedFailsWhenAskedFor() {
		HandshakeRequest request = new HandshakeRequest("ws://[broken/ws", Map.of(), null, null);
		assertThat(request.queryParameters()).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(request::uri);
	}

	@Test
	void keepsTheUriItWasGiven() {
		URI uri = URI.create("ws://localhost/ws?x=1");
		HandshakeRequest request = new HandshakeRequest(uri, Map.of(), null, null);
		assertThat(request.uri()).isSameAs(uri);
		assertThat(request.queryParameters()).containsEntry("x", List.of("1"));
	}

	@Test
	void copiesHeadersFromAViewThatSupportsOnlyForEach() {
		Map<String, List<String>> view = new AbstractMap<>() {

			@Override
			public Set<Entry<String, List<String>>> entrySet() {
				throw new UnsupportedOperationException();
			}

			@Override
			public void forEach(BiConsumer<? super String, ? super List<String>> action) {
				for (int i = 0; i < 20; i++) {
					action.accept("X-Header-" + i, List.of("v" + i));
				}
				action.accept("Accept", List.of("a", "b"));
			}

		};
		HandshakeRequest request = new HandshakeRequest("ws://localhost/ws", view, null, null);
		assertThat(request.header("x-header-0")).isEqualTo("v0");
		assertThat(request.header("X-HEADER-19")).isEqualTo("v19");
		assertThat(request.headers()).hasSize(21).containsEntry("accept", List.of("a", "b"));
	}

	@Test
	void copiesHeadersWithSeveralValuesBeyondTheirCount() {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("Host", List.of("localhost"));
		headers.put("Accept", List.of("a", "b", "c"));
		headers.put("Empty", List.of());
		HandshakeRequest request = new HandshakeRequest("ws://localhost/ws", headers, null, null);
		assertThat(request.header("host")).isEqualTo("localhost");
		assertThat(request.header("accept")).isEqualTo("a");
		assertThat(request.header("empty")).isNull();
		assertThat(request.headers()).hasSize(2).containsEntry("ACCEPT", List.of("a", "b", "c"));
	}

	@Test
	void makesTheRemoteAddressFromTheHostAndPortWhenAsked() {
		HandshakeRequest request = new HandshakeRequest("ws://localhost/ws", Map.of(), null, "192.0.2.1", 53012);
		InetSocketAddress address = request.remoteAddress();
		assertThat(address).isEqualTo(new InetSocketAddress("192.0.2.1", 53012));
		assertThat(request.remoteAddress()).isSameAs(address);
		assertThat(new HandshakeRequest("ws://localhost/ws", Map.of(), null, null, 0).remoteAddress()).isNull();
	}

	@Test
	void refusesARemotePortOutOfRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HandshakeRequest("ws://localhost/ws", Map.of(), null, "192.0.2.1", 65536))
			.withMessageContaining("65536");
	}

	@Test
	void attributesAreMadeOnceWhenAskedFor() {
		HandshakeRequest request = new HandshakeRequest("ws://localhost/ws", Map.of(), null, null);
		assertThat(request.attributesIfPresent()).isNull();
		Map<String, Object> attributes = request.attributes();
		assertThat(request.attributes()).isSameAs(attributes).isSameAs(request.attributesIfPresent());
	}

}
