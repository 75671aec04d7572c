/**
 * Spring Boot auto-configuration of the Tutti hub.
 */
@NullMarked
package dev.tutti.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
