package dev.tutti.sample.chat;

import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what. The chat pages, the WebSocket endpoint and the operations page are
 * open to everyone; a user may sign in (form login at {@code /login}) and the hub then
 * sees the principal in the handshake. Health, metrics and the Prometheus scrape are
 * public; the {@code tutti} endpoint, which shows remote addresses and can broadcast and
 * disconnect, and any other actuator endpoint need the {@code ADMIN} role over HTTP
 * Basic.
 * <p>
 * One user, {@code chat.admin.username} ({@code admin}) with the password
 * {@code chat.admin.password}; without that property a random password is generated and
 * logged at startup.
 */
@Configuration(proxyBeanMethods = false)
class ChatSecurityConfiguration {

	private static final Log logger = LogFactory.getLog(ChatSecurityConfiguration.class);

	private static final String ADMIN = "ADMIN";

	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurity(HttpSecurity http) {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers(EndpointRequest.to("health", "metrics", "prometheus"))
						.permitAll()
						.anyRequest()
						.hasRole(ADMIN))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain chatSecurity(HttpSecurity http) {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.formLogin((login) -> login.defaultSuccessUrl("/", true))
			.logout((logout) -> logout.logoutSuccessUrl("/"));
		return http.build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	InMemoryUserDetailsManager users(PasswordEncoder encoder, @Value("${chat.admin.username:admin}") String username,
			@Value("${chat.admin.password:}") String password) {
		if (password.isBlank()) {
			password = UUID.randomUUID().toString();
			logger.warn("No chat.admin.password set; generated password for '" + username + "': " + password);
		}
		return new InMemoryUserDetailsManager(
				User.withUsername(username).password(encoder.encode(password)).roles(ADMIN).build());
	}

}
