package dev.tutti.spring.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.HandshakeResult;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * One node of a test cluster: the auto-configured hub with the Redis backplane. A client
 * names itself with the {@code client} query parameter, sets the {@code user} attribute
 * with {@code user}, and joins the room {@code room} when it connects. Errors without a
 * session (the backplane's) are recorded in the {@link Errors} bean.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ClusterTestApplication {

	private final List<Throwable> backplaneErrors = new CopyOnWriteArrayList<>();

	@Bean
	TuttiHubCustomizer clusterTestHandlers() {
		return (hub) -> {
			hub.onHandshake((request) -> {
				for (String name : List.of("client", "user", "room")) {
					String value = request.queryParameter(name);
					if (value != null) {
						request.attributes().put(name, value);
					}
				}
				return HandshakeResult.accept();
			});
			hub.onConnect((session) -> {
				String room = session.get("room", String.class);
				if (room != null) {
					session.join(room);
				}
			});
			hub.onError((session, error) -> {
				if (session == null) {
					this.backplaneErrors.add(error);
				}
			});
		};
	}

	@Bean
	Errors backplaneErrors() {
		return new Errors(this.backplaneErrors);
	}

	/**
	 * The errors the backplane reported to the hub.
	 *
	 * @param list the errors, as they come
	 */
	record Errors(List<Throwable> list) {

	}

}
