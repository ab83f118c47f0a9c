/** A job's history over HTTP: {@code /api/jobs/{id}/events} for its owner, {@code /admin/events} for SREs. */
@NullMarked
package io.inloop.api.history;

import org.jspecify.annotations.NullMarked;
