/**
 * A WebSocket test client for integration tests of applications that use Tutti, and for
 * any other WebSocket server: connect, send text, binary and JSON, await what arrives
 * with clear failures, close or drop the connection.
 * <p>
 * Start with {@link dev.tutti.test.TuttiTestClient}.
 */
@NullMarked
package dev.tutti.test;

import org.jspecify.annotations.NullMarked;
