/**
 * The websocket-shootout benchmark server, on the Tutti hub and on plain Spring
 * WebSocket.
 */
@NullMarked
package dev.tutti.benchmarks.server;

import org.jspecify.annotations.NullMarked;
