/**
 * Lean clients of a running stack: the JDK's HTTP client for the API and its WebSocket for the
 * notifier, all connections on one selector thread and a small executor.
 */
@NullMarked
package io.inloop.bench.client;

import org.jspecify.annotations.NullMarked;
