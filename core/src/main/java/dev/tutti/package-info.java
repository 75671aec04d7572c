/**
 * The Tutti hub: a registry of WebSocket sessions with connect, message, disconnect and
 * error callbacks, broadcasts, a bounded non-blocking writer per session and heartbeats.
 * <p>
 * Start with {@link dev.tutti.Hub}.
 */
@NullMarked
package dev.tutti;

import org.jspecify.annotations.NullMarked;
