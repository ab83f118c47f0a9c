/** End-to-end tests of the whole system, through real processes, a real broker and real clients. */
@NullMarked
package io.inloop.system;

import org.jspecify.annotations.NullMarked;
