/**
 * What a connection costs the server, split by whose code spent it: reads the stacks that
 * the allocation recorder and async-profiler write.
 */
@NullMarked
package dev.tutti.benchmarks.profile;

import org.jspecify.annotations.NullMarked;
