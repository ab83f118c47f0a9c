package io.inloop.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A job as the API answers it: a full snapshot, the {@code job} of docs/protocol.md's {@code job} frame.
 *
 * @param id the job's id
 * @param owner the user whose job it is: who sees it in the browser, lists and cancels it
 * @param type the job type, e.g. {@code demo.steps}
 * @param state where the job is
 * @param progress steps done of the total
 * @param message what the job is doing, in words for its owner
 * @param result the handler's result, a small JSON document, once {@code SUCCEEDED}
 * @param error why the last attempt failed
 * @param attempt 0 while queued, then 1, 2, ... per attempt
 * @param version grows with every change of the job
 * @param submittedAt when the API accepted it
 * @param updatedAt when it last changed
 * @param startedAt when the current attempt started
 * @param finishedAt when it ended
 * @param nextAttemptAt when it runs again, while {@code RETRYING}
 * @param resubmitOf the dead-lettered job this one repeats
 */
public record Job(String id, String owner, String type, State state, Progress progress, @Nullable String message,
		@Nullable JsonNode result, @Nullable Failure error, int attempt, long version, Instant submittedAt,
		Instant updatedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable Instant nextAttemptAt,
		@Nullable String resubmitOf) {

	/** Whether the job has ended: nothing changes it any more. */
	public boolean isFinished() {
		return this.state == State.SUCCEEDED || this.state == State.FAILED || this.state == State.CANCELLED;
	}

	/** A job's states; {@link #UNKNOWN} stands for one added by a newer Inloop than this client knows. */
	public enum State {

		QUEUED, RUNNING, RETRYING, STALLED, SUCCEEDED, FAILED, CANCELLED, @JsonEnumDefaultValue UNKNOWN

	}

	/** @param done steps done @param total steps in all, 0 while unknown */
	public record Progress(long done, long total) {
	}

	/** @param code a stable code, e.g. {@code timeout} @param message for the owner @param retryable whether it will be retried */
	public record Failure(String code, String message, boolean retryable) {
	}

}
