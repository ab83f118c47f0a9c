/**
 * Overload: a bound on the requests this instance has waiting for their answer, and a quick
 * {@code 503} with {@code Retry-After} for the rest, so that more load than the instance can take
 * gets refusals instead of hangs.
 */
@NullMarked
package io.inloop.api.overload;

import org.jspecify.annotations.NullMarked;
