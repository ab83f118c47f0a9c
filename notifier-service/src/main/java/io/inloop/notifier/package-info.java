/**
 * The notifier: reads the status topic ({@code delivery}), knows which connections belong to
 * which user ({@code subscriptions}) and serves them over WebSocket ({@code websocket}).
 */
@NullMarked
package io.inloop.notifier;

import org.jspecify.annotations.NullMarked;
