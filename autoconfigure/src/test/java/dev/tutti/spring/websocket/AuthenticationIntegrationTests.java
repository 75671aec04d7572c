package dev.tutti.spring.websocket;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.HandshakeResult;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;
import dev.tutti.test.HandshakeRefusedException;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An application that requires login for its hub with Spring Security: an unauthenticated
 * handshake is refused before it reaches the hub, and an authenticated one reaches the
 * handshake handler with Spring Security's principal, which seeds a session attribute.
 */
@SpringBootTest(classes = AuthenticationIntegrationTests.SecuredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.autoconfigure.exclude=",
				"spring.security.user.name=alice", "spring.security.user.password=secret" })
class AuthenticationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SecuredApplication application;

	@BeforeEach
	void forget() {
		this.application.principals.clear();
	}

	@Test
	void refusesAnUnauthenticatedHandshakeWith401() {
		assertThatExceptionOfType(HandshakeRefusedException.class).isThrownBy(() -> TuttiTestClient.connect(uri()))
			.extracting(HandshakeRefusedException::status)
			.isEqualTo(401);
		assertThat(this.application.principals).isEmpty();
	}

	@Test
	void refusesWrongCredentialsWith401() {
		assertThatExceptionOfType(HandshakeRefusedException.class)
			.isThrownBy(() -> TuttiTestClient.builder(uri()).header("Authorization", basic("alice", "wrong")).connect())
			.extracting(HandshakeRefusedException::status)
			.isEqualTo(401);
		assertThat(this.application.principals).isEmpty();
	}

	@Test
	void handsTheAuthenticatedPrincipalToTheHandshakeHandler() {
		try (TuttiTestClient client = TuttiTestClient.builder(uri())
			.header("Authorization", basic("alice", "secret"))
			.connect()) {
			client.sendText("hello");
			assertThat(client.awaitText()).isEqualTo("alice: hello");
		}
		assertThat(this.application.principals).singleElement()
			.isInstanceOfSatisfying(Authentication.class, (authentication) -> {
				assertThat(authentication.getName()).isEqualTo("alice");
				assertThat(authentication.isAuthenticated()).isTrue();
			});
	}

	private URI uri() {
		return URI.create("ws://localhost:" + this.port + "/ws");
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Requires HTTP Basic authentication for every request, the hub's handshake included;
	 * the hub greets every message with its sender's name.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class SecuredApplication {

		final List<Principal> principals = new CopyOnWriteArrayList<>();

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		TuttiHubCustomizer principalGreeting() {
			return (hub) -> {
				hub.onHandshake((request) -> {
					Principal principal = request.principal();
					if (principal == null) {
						return HandshakeResult.reject(401, "Not authenticated");
					}
					this.principals.add(principal);
					request.attributes().put("user", principal.getName());
					return HandshakeResult.accept();
				});
				hub.onMessage((session, text) -> session.write(session.get("user") + ": " + text));
			};
		}

	}

}
