/**
 * Spring Boot Actuator support for Tutti hubs: the {@code tutti} endpoint, which shows
 * every hub and its sessions to operators and lets them broadcast or close a session.
 */
@NullMarked
package dev.tutti.spring.actuate;

import org.jspecify.annotations.NullMarked;
