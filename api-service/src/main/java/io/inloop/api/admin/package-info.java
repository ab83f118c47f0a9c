/**
 * The operators' jobs dashboard (scope {@code admin}): jobs across owners, live changes, cancel and
 * retry, and the page at {@code /admin} that shows them.
 */
@NullMarked
package io.inloop.api.admin;

import org.jspecify.annotations.NullMarked;
