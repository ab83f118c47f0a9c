package io.inloop.schemas;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResubmissionTests {

	private static final SubmitJob RETRIED_COMMAND = SubmitJob.newBuilder()
		.setJobId("job-1")
		.setOwner("alice")
		.setType("demo.steps")
		.setPayload("{\"steps\":3}")
		.setSubmittedAt(Instant.parse("2026-11-27T10:00:00Z"))
		.setMaxAttempts(4)
		.setTimeoutMillis(30_000L)
		.setAttempt(3)
		.setNotBefore(Instant.parse("2026-11-27T10:01:00Z"))
		.build();

	@Test
	void aResubmissionIsANewJobOfTheSameOwnerAndWorkFromAttemptOneAtOnce() {
		Instant now = Instant.parse("2026-11-28T09:00:00.123456Z");
		Resubmission again = Resubmission.of(RETRIED_COMMAND, "job-2", now);

		SubmitJob command = again.command();
		assertThat(command.getJobId()).isEqualTo("job-2");
		assertThat(command.getOwner()).isEqualTo("alice");
		assertThat(command.getPayload()).isEqualTo("{\"steps\":3}");
		assertThat(command.getMaxAttempts()).isEqualTo(4);
		assertThat(command.getTimeoutMillis()).isEqualTo(30_000L);
		assertThat(command.getAttempt()).isEqualTo(1);
		assertThat(command.getNotBefore()).isNull();
		assertThat(command.getResubmitOf()).isEqualTo("job-1");
		assertThat(command.getSubmittedAt()).isEqualTo(Instant.parse("2026-11-28T09:00:00.123Z"));
		JobStatusChanged queued = again.queued();
		assertThat(queued.getJobId()).isEqualTo("job-2");
		assertThat(queued.getState()).isEqualTo(JobState.QUEUED);
		assertThat(JobLifecycle.version(queued)).isZero();
		assertThat(queued.getResubmitOf()).isEqualTo("job-1");
		assertThat(queued.getMessage()).isEqualTo("Resubmitted from job job-1");
		assertThat(queued.getSubmittedAt()).isEqualTo(command.getSubmittedAt());
	}

	@Test
	void withoutAnIdEachResubmissionGetsANewOne() {
		Instant now = Instant.now();
		assertThat(Resubmission.of(RETRIED_COMMAND, now).command().getJobId())
			.isNotEqualTo(Resubmission.of(RETRIED_COMMAND, now).command().getJobId())
			.isNotEqualTo("job-1");
	}

}
