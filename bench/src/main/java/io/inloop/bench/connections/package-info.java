/** W3: many idle WebSockets, how fast they open, whether they stay, and what each costs the notifier. */
@NullMarked
package io.inloop.bench.connections;

import org.jspecify.annotations.NullMarked;
