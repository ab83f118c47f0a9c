/** Submitting jobs and reading them back: {@code /api/jobs}. */
@NullMarked
package io.inloop.api.jobs;

import org.jspecify.annotations.NullMarked;
