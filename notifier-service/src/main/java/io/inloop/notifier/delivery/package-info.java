/**
 * Reads every partition of the status topic and turns each record into one {@link io.inloop.notifier.delivery.JobFrame},
 * serialised once, for every connection of its owner.
 */
@NullMarked
package io.inloop.notifier.delivery;

import org.jspecify.annotations.NullMarked;
