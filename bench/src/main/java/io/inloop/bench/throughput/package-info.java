/** W2: many users' jobs at once, their throughput and what their streams lost. */
@NullMarked
package io.inloop.bench.throughput;

import org.jspecify.annotations.NullMarked;
