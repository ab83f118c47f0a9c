/**
 * Which open connections belong to which user, and the fan-out of each frame to them.
 */
@NullMarked
package io.inloop.notifier.subscriptions;

import org.jspecify.annotations.NullMarked;
