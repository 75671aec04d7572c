package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;

/**
 * Callback that customizes the auto-configured {@link Hub}, typically by registering its
 * handlers. Beans of this type are applied in {@link org.springframework.core.Ordered
 * order} when the hub is created, before it accepts connections.
 */
@FunctionalInterface
public interface TuttiHubCustomizer {

	/**
	 * Customize the hub.
	 * @param hub the hub to customize
	 */
	void customize(Hub hub);

}
