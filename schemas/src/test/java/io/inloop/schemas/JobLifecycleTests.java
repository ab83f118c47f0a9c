package io.inloop.schemas;

import org.junit.jupiter.api.Test;

import static io.inloop.schemas.JobEvents.aSnapshot;
import static org.assertj.core.api.Assertions.assertThat;

class JobLifecycleTests {

	@Test
	void laterSnapshotIsAccepted() {
		assertThat(JobLifecycle.move(aSnapshot("j", JobState.RUNNING, 1, 3).build(),
				aSnapshot("j", JobState.RUNNING, 1, 4).build()))
			.isEqualTo(JobLifecycle.Move.ACCEPTED);
	}

	@Test
	void nextAttemptOutranksAnyStepOfThePreviousOne() {
		assertThat(JobLifecycle.move(aSnapshot("j", JobState.RETRYING, 1, 900).build(),
				aSnapshot("j", JobState.RUNNING, 2, 0).build()))
			.isEqualTo(JobLifecycle.Move.ACCEPTED);
	}

	@Test
	void duplicateOrOlderSnapshotIsStale() {
		JobStatusChanged current = aSnapshot("j", JobState.RUNNING, 2, 5).build();
		assertThat(JobLifecycle.move(current, aSnapshot("j", JobState.RUNNING, 2, 5).build()))
			.isEqualTo(JobLifecycle.Move.STALE);
		assertThat(JobLifecycle.move(current, aSnapshot("j", JobState.RUNNING, 1, 9).build()))
			.isEqualTo(JobLifecycle.Move.STALE);
	}

	@Test
	void versionsAloneGiveTheSameAnswers() {
		JobStatusChanged current = aSnapshot("j", JobState.RUNNING, 2, 5).build();
		JobStatusChanged next = aSnapshot("j", JobState.RUNNING, 2, 6).build();
		assertThat(JobLifecycle.move(JobState.RUNNING, JobLifecycle.version(current), JobLifecycle.version(next)))
			.isEqualTo(JobLifecycle.Move.ACCEPTED);
		assertThat(JobLifecycle.move(JobState.RUNNING, JobLifecycle.version(next), JobLifecycle.version(current)))
			.isEqualTo(JobLifecycle.Move.STALE);
		assertThat(JobLifecycle.move(JobState.CANCELLED, 0L, JobLifecycle.version(next)))
			.isEqualTo(JobLifecycle.Move.AFTER_TERMINAL);
	}

	@Test
	void terminalStatesAreFinal() {
		for (JobState terminal : new JobState[] { JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED }) {
			assertThat(JobLifecycle.isTerminal(terminal)).isTrue();
			assertThat(JobLifecycle.move(aSnapshot("j", terminal, 1, 5).build(),
					aSnapshot("j", JobState.RUNNING, 2, 0).build()))
				.isEqualTo(JobLifecycle.Move.AFTER_TERMINAL);
		}
		assertThat(JobLifecycle.isTerminal(JobState.STALLED)).isFalse();
	}

}
