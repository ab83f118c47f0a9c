/**
 * The Java client of Inloop's REST API: {@link io.inloop.client.InloopClient} submits jobs (for
 * the caller, or on a user's behalf with scope {@code jobs:submit-for}), reads and cancels them.
 */
@NullMarked
package io.inloop.client;

import org.jspecify.annotations.NullMarked;
