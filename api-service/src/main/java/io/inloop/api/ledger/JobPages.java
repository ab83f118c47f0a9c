package io.inloop.api.ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One operator's page across owners made of the pages each instance lists from the partitions it
 * holds, with a single instance's order (newest submission first, then by job id), limit and
 * cursor. An instance whose page has a next one read its partitions only up to that cursor, so the
 * page stops there: whatever lies beyond it on that instance may come before what the others found
 * beyond it. The next page goes on from the last job it holds, or from that cursor.
 */
public final class JobPages {

	private JobPages() {
	}

	/**
	 * @param pages the page of each instance for {@code query}, {@code next} as it gave it
	 * @param submittedAt and {@code jobId}: what orders a job of the page
	 */
	public static <T> Page<T> merge(JobQuery query, List<Page<T>> pages, Function<T, Instant> submittedAt,
			Function<T, String> jobId) {
		String prefix = query.indexPrefix();
		String readTo = pages.stream()
			.map(Page::next)
			.filter(Objects::nonNull)
			.map(JobLedger::decodeCursor)
			.min(Comparator.naturalOrder())
			.orElse(null);
		List<Keyed<T>> jobs = pages.stream()
			.flatMap((page) -> page.jobs().stream())
			.map((job) -> new Keyed<>(LedgerKeys.newestFirstUnder(prefix, submittedAt.apply(job), jobId.apply(job)), job))
			.filter((job) -> readTo == null || job.key().compareTo(readTo) <= 0)
			.sorted(Comparator.comparing(Keyed::key))
			.toList();
		if (jobs.size() > query.limit()) {
			List<Keyed<T>> page = jobs.subList(0, query.limit());
			return new Page<>(page.stream().map(Keyed::job).toList(),
					JobLedger.encodeCursor(page.get(page.size() - 1).key()));
		}
		return new Page<>(jobs.stream().map(Keyed::job).toList(), (readTo != null) ? JobLedger.encodeCursor(readTo) : null);
	}

	/** A page of jobs in listing order; {@code next} is the cursor of the page after it, null if none. */
	public record Page<T>(List<T> jobs, @Nullable String next) {
	}

	private record Keyed<T>(String key, T job) {
	}

}
