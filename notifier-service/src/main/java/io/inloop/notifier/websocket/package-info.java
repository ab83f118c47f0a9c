/**
 * The {@code /ws} transport: one WebSocket session per connection, frames sent as text messages.
 */
@NullMarked
package io.inloop.notifier.websocket;

import org.jspecify.annotations.NullMarked;
