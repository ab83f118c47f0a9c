/** W1: one user's jobs one after another, and how long each takes to reach its owner. */
@NullMarked
package io.inloop.bench.latency;

import org.jspecify.annotations.NullMarked;
