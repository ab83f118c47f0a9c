package io.inloop.api.ledger;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pages of several instances make one page in a single instance's order, limit and cursor. */
class JobPagesTests {

	private static final Job A1 = new Job("a1", Instant.ofEpochSecond(10));

	private static final Job A2 = new Job("a2", Instant.ofEpochSecond(8));

	private static final Job B1 = new Job("b1", Instant.ofEpochSecond(9));

	private static final Job B2 = new Job("b2", Instant.ofEpochSecond(5));

	private static final Job B3 = new Job("b3", Instant.ofEpochSecond(1));

	@Test
	void theJobsOfEveryInstanceAreInOneNewestFirstOrder() {
		JobPages.Page<Job> page = merge(10, new JobPages.Page<>(List.of(A1, A2), null),
				new JobPages.Page<>(List.of(B1, B2, B3), null));

		assertThat(page.jobs()).containsExactly(A1, B1, A2, B2, B3);
		assertThat(page.next()).isNull();
	}

	@Test
	void aFullPageGoesOnFromItsLastJob() {
		JobPages.Page<Job> page = merge(2, new JobPages.Page<>(List.of(A1), null),
				new JobPages.Page<>(List.of(B1, B2), cursorAt(B2)));

		assertThat(page.jobs()).containsExactly(A1, B1);
		assertThat(page.next()).isEqualTo(cursorAt(B1));
	}

	@Test
	void anInstanceThatReadOnlyPartOfItsJobsStopsThePageWhereItStopped() {
		// a's filters skipped many jobs: it read up to a2 and has more; b read all of its own
		JobPages.Page<Job> page = merge(10, new JobPages.Page<>(List.of(A1, A2), cursorAt(A2)),
				new JobPages.Page<>(List.of(B1, B2, B3), null));

		assertThat(page.jobs()).containsExactly(A1, B1, A2);
		assertThat(page.next()).isEqualTo(cursorAt(A2));
	}

	@Test
	void anEmptyPageMayStillHaveANextOne() {
		JobPages.Page<Job> page = merge(10, new JobPages.Page<>(List.of(), cursorAt(A2)),
				new JobPages.Page<>(List.of(B2), null));

		assertThat(page.jobs()).isEmpty();
		assertThat(page.next()).isEqualTo(cursorAt(A2));
	}

	@SafeVarargs
	private static JobPages.Page<Job> merge(int limit, JobPages.Page<Job>... pages) {
		return JobPages.merge(new JobQuery(null, null, null, null, null, limit, null), List.of(pages), Job::at, Job::id);
	}

	private static String cursorAt(Job job) {
		return JobLedger.encodeCursor(LedgerKeys.newestFirstUnder(LedgerKeys.allPrefix(), job.at(), job.id()));
	}

	private record Job(String id, Instant at) {
	}

}
