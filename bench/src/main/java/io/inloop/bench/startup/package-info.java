/** {@code ready}: how long a cold stack takes to start, and its memory once ready. */
@NullMarked
package io.inloop.bench.startup;

import org.jspecify.annotations.NullMarked;
