package dev.tutti.benchmarks.server;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The Spring Boot application shared by both shootout servers: auto-configuration and the
 * benchmark's container settings, without component scanning.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(ContainerBufferConfiguration.class)
public class ShootoutApplication {

}
