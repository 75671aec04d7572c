/**
 * The Spring WebSocket transport of the Tutti hub: a {@code WebSocketHandler} and a
 * {@code HandshakeInterceptor} that connect a {@link dev.tutti.Hub} to a Jakarta
 * WebSocket container through Spring's WebSocket support.
 */
@NullMarked
package dev.tutti.spring.websocket;

import org.jspecify.annotations.NullMarked;
