package io.inloop.schemas;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;

/**
 * A job as clients see it in JSON, in the REST API and in every notifier frame alike
 * (documented in docs/protocol.md). Absent values are left out, except {@code message}, which
 * is always there (null when the job has nothing to say) so a client can always show it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String id, String owner, String type, JobState state, Progress progress,
		@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String message, @JsonRawValue @Nullable String result, @Nullable Failure error, int attempt,
		long version, Instant submittedAt, Instant updatedAt, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, @Nullable Instant nextAttemptAt, @Nullable String resubmitOf) {

	public static JobView of(JobStatusChanged event) {
		JobError error = event.getError();
		return new JobView(event.getJobId(), event.getOwner(), event.getType(), event.getState(),
				new Progress(event.getProgress().getDone(), event.getProgress().getTotal()), event.getMessage(),
				event.getResult(),
				(error != null) ? new Failure(error.getCode(), error.getMessage(), error.getRetryable()) : null,
				event.getAttempt(), JobLifecycle.version(event), event.getSubmittedAt(), event.getUpdatedAt(),
				event.getStartedAt(), event.getFinishedAt(), event.getNextAttemptAt(), event.getResubmitOf());
	}

	public record Progress(long done, long total) {
	}

	public record Failure(String code, String message, boolean retryable) {
	}

}
