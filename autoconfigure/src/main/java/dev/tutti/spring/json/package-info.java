/**
 * A Jackson 3 implementation of the Tutti {@link dev.tutti.Codec}.
 */
@NullMarked
package dev.tutti.spring.json;

import org.jspecify.annotations.NullMarked;
