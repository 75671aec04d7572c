/**
 * JMH micro-benchmarks of the hub without I/O.
 */
@NullMarked
package dev.tutti.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
