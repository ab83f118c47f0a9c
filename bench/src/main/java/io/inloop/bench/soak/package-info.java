/** W6, the soak: a steady load for a long time, with the services' heap and file descriptors sampled. */
@NullMarked
package io.inloop.bench.soak;

import org.jspecify.annotations.NullMarked;
