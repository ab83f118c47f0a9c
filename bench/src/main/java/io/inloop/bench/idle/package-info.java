/** {@code idle}: what the stack costs while nobody uses it. */
@NullMarked
package io.inloop.bench.idle;

import org.jspecify.annotations.NullMarked;
