package dev.tutti.spring.websocket;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.util.WebUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TuttiHandshakeInterceptor#isSameOrigin}: the same answer as Spring's
 * {@code WebUtils.isSameOrigin} for every pair of request and origin, usual or not, and
 * another origin where Spring fails to parse one.
 */
class SameOriginTests {

	private static final String[] ORIGINS = { "http://localhost:8080", "http://localhost", "http://localhost:80",
			"https://localhost:8080", "HTTP://localhost:8080", "http://LOCALHOST:8080", "http://localhost:8080/",
			"http://localhost:8080/path", "http://user@localhost:8080", "null", "", "http://", "http://:8080",
			"http://localhost:", "http://localhost:99999", "http://localhost:123456", "http://localhost:8a",
			"http://localhost:08080", "http://[::1]:8080", "http://[::1]", "http://[::1", "ws://localhost:8080",
			"https://example.com", "https://example.com:443", "http://example.com", "http://example.com:80",
			"http://example.com:8080", "file://", "http://exa mple.com", "http://example.com?x", "a:b://example.com",
			"http://example.com#x", "http://ex%41mple.com", "http://127.0.0.1:8080" };

	static List<Arguments> pairs() {
		String[][] servers = { { "http", "localhost", "8080" }, { "https", "example.com", "443" },
				{ "http", "[::1]", "8080" }, { "http", "example.com", "80" }, { "http", "127.0.0.1", "8080" } };
		List<Arguments> pairs = new ArrayList<>();
		for (String[] server : servers) {
			for (String origin : ORIGINS) {
				pairs.add(Arguments.of(server[0], server[1], Integer.parseInt(server[2]), origin));
			}
		}
		return pairs;
	}

	@ParameterizedTest(name = "{0}://{1}:{2} with Origin {3}")
	@MethodSource("pairs")
	void answersAsSpringDoes(String scheme, String host, int port, String origin) {
		MockHttpServletRequest request = request(scheme, host, port, origin);
		assertThat(TuttiHandshakeInterceptor.isSameOrigin(request, origin)).isEqualTo(springSaysSameOrigin(request));
	}

	@Test
	void anOriginSpringCannotParseIsNotTheSameOrigin() {
		assertThat(TuttiHandshakeInterceptor.isSameOrigin(request("http", "localhost", 8080, ""), "http://:8080"))
			.isFalse();
		assertThat(TuttiHandshakeInterceptor.isSameOrigin(request("http", "localhost", 8080, ""), "http://localhost:"))
			.isFalse();
	}

	/**
	 * Spring's answer, where a malformed origin that it fails on counts as another
	 * origin.
	 */
	private static boolean springSaysSameOrigin(MockHttpServletRequest request) {
		try {
			return WebUtils.isSameOrigin(new ServletServerHttpRequest(request));
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return false;
		}
	}

	@Test
	void theRequestsOwnOriginIsTheSameOriginAndAnotherPortIsNot() {
		assertThat(
				TuttiHandshakeInterceptor.isSameOrigin(request("http", "localhost", 8080, ""), "http://localhost:8080"))
			.isTrue();
		assertThat(
				TuttiHandshakeInterceptor.isSameOrigin(request("https", "example.com", 443, ""), "https://example.com"))
			.isTrue();
		assertThat(
				TuttiHandshakeInterceptor.isSameOrigin(request("http", "localhost", 8080, ""), "http://localhost:8081"))
			.isFalse();
	}

	private static MockHttpServletRequest request(String scheme, String host, int port, String origin) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws");
		request.setScheme(scheme);
		request.setServerName(host);
		request.setServerPort(port);
		request.addHeader("Origin", origin);
		return request;
	}

}
