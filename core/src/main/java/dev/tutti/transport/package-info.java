/**
 * The transport SPI: how a WebSocket container hands connections to a
 * {@link dev.tutti.Hub} and how the hub talks back to them. Applications do not use this
 * package directly.
 */
@NullMarked
package dev.tutti.transport;

import org.jspecify.annotations.NullMarked;
