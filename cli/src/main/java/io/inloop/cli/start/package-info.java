/**
 * {@code inloop start}: the local stack, a broker and the three services on one machine.
 */
@NullMarked
package io.inloop.cli.start;

import org.jspecify.annotations.NullMarked;
