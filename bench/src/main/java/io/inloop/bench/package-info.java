/**
 * {@code ./inloop bench}: workloads against a running local stack, each a picocli subcommand. It
 * speaks only the public HTTP and WebSocket protocol, so it depends on no other Inloop module.
 */
@NullMarked
package io.inloop.bench;

import org.jspecify.annotations.NullMarked;
