package io.inloop.api.ledger;

import java.util.List;

import io.inloop.schemas.JobStatusChanged;
import org.jspecify.annotations.Nullable;

/**
 * One page of jobs across owners, newest submission first.
 * @param next the cursor of the next page, or null when there is none; a page may hold fewer jobs
 * than asked for (even none) and still have a next one, when its filters skipped many jobs
 */
public record JobPage(List<JobStatusChanged> jobs, @Nullable String next) {
}
