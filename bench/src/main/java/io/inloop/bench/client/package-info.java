/**
 * Lean clients of a running stack: the JDK's HTTP client for the API and its WebSocket for the
 * notifier (all connections on one selector thread and a small executor), and for thousands of
 * sockets a Netty WebSocket client on one or two event loop threads ({@link io.inloop.bench.client.NettySockets}).
 */
@NullMarked
package io.inloop.bench.client;

import org.jspecify.annotations.NullMarked;
