/**
 * A non-blocking load generator for the websocket-shootout protocol.
 */
@NullMarked
package dev.tutti.benchmarks.load;

import org.jspecify.annotations.NullMarked;
