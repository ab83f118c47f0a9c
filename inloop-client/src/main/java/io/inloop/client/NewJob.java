package io.inloop.client;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A job to submit: the body of {@code POST /api/jobs} and its {@code Idempotency-Key}. Build one
 * with {@link #of(String, Object)} and the {@code with...} methods.
 *
 * @param type the job type, e.g. {@code demo.steps}
 * @param payload the handler's input, anything that is a JSON object (a record, a {@code Map}, a {@code JsonNode})
 * @param owner the user the job is for, or {@code null} for the caller; naming another user needs scope {@code jobs:submit-for}
 * @param maxAttempts attempts before it fails for good, or {@code null} for the type's default
 * @param timeout how long one attempt may run, or {@code null} for the type's default
 * @param idempotencyKey the same key again returns the first job instead of a new one (per owner and submitter)
 */
public record NewJob(String type, Object payload, @Nullable String owner, @Nullable Integer maxAttempts,
		@Nullable Duration timeout, @Nullable String idempotencyKey) {

	/** A job of {@code type} with {@code payload}, for the caller. */
	public static NewJob of(String type, Object payload) {
		return new NewJob(type, payload, null, null, null, null);
	}

	/** A job of {@code type} with an empty payload, for the caller. */
	public static NewJob of(String type) {
		return of(type, Map.of());
	}

	/** This job, owned by {@code owner} (scope {@code jobs:submit-for} unless it is the caller). */
	public NewJob forOwner(String owner) {
		return new NewJob(this.type, this.payload, owner, this.maxAttempts, this.timeout, this.idempotencyKey);
	}

	/** This job, submitted at most once per {@code key} (1-255 visible ASCII characters). */
	public NewJob withIdempotencyKey(String key) {
		return new NewJob(this.type, this.payload, this.owner, this.maxAttempts, this.timeout, key);
	}

	/** This job with {@code maxAttempts} attempts (1-10). */
	public NewJob withMaxAttempts(int maxAttempts) {
		return new NewJob(this.type, this.payload, this.owner, maxAttempts, this.timeout, this.idempotencyKey);
	}

	/** This job with attempts of at most {@code timeout} (1 s to 24 h). */
	public NewJob withTimeout(Duration timeout) {
		return new NewJob(this.type, this.payload, this.owner, this.maxAttempts, timeout, this.idempotencyKey);
	}

}
