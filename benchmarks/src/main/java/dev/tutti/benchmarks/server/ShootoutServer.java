package dev.tutti.benchmarks.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;

/**
 * Runs the websocket-shootout server at {@code /ws} on {@code 127.0.0.1}.
 * <p>
 * {@code --server=tutti} (the default) serves the protocol with a Tutti hub;
 * {@code --server=baseline} serves it with a plain Spring WebSocket handler. Every other
 * argument is passed to Spring Boot, such as {@code --server.port=8080}.
 */
public final class ShootoutServer {

	private static final String SERVER_ARGUMENT = "--server=";

	private ShootoutServer() {
	}

	/**
	 * Start the server.
	 * @param args {@code --server=tutti|baseline} and Spring Boot arguments
	 * @throws IllegalArgumentException if the server name is unknown
	 */
	public static void main(String[] args) {
		String server = "tutti";
		List<String> springArgs = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith(SERVER_ARGUMENT)) {
				server = arg.substring(SERVER_ARGUMENT.length());
			}
			else {
				springArgs.add(arg);
			}
		}
		SpringApplication application = switch (server) {
			case "tutti" -> new SpringApplication(ShootoutApplication.class, TuttiShootoutConfiguration.class);
			case "baseline" -> new SpringApplication(ShootoutApplication.class, BaselineShootoutConfiguration.class);
			default ->
				throw new IllegalArgumentException("Unknown server '" + server + "': expected 'tutti' or 'baseline'");
		};
		application.setDefaultProperties(defaultProperties(server));
		application.run(springArgs.toArray(String[]::new));
	}

	private static Map<String, Object> defaultProperties(String server) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.application.name", "shootout-" + server);
		if (server.equals("baseline")) {
			properties.put("spring.autoconfigure.exclude", "dev.tutti.spring.autoconfigure.TuttiAutoConfiguration");
		}
		return properties;
	}

}
