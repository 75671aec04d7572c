/**
 * A chat web application built on the Tutti starter.
 */
@NullMarked
package dev.tutti.sample.chat;

import org.jspecify.annotations.NullMarked;
