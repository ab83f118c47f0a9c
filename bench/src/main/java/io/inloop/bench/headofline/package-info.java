/** HOL: whether short jobs wait behind a long one. */
@NullMarked
package io.inloop.bench.headofline;

import org.jspecify.annotations.NullMarked;
