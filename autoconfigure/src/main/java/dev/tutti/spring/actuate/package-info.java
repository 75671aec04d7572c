/**
 * Spring Boot Actuator support for Tutti hubs: the {@code tutti} endpoint, which shows
 * every hub and its sessions to operators and lets them broadcast or close a session, and
 * the {@code tutti} health indicator.
 */
@NullMarked
package dev.tutti.spring.actuate;

import org.jspecify.annotations.NullMarked;
