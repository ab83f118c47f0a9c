package io.inloop.api.jobs;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/jobs}.
 *
 * @param type the job type, e.g. {@code demo.steps}
 * @param payload the handler's input, a JSON object; absent means {@code {}}
 * @param maxAttempts attempts before the job fails for good (1-10); absent means the type's default
 * @param timeout how long one attempt may run, ISO-8601 (e.g. {@code PT30S}); absent means the type's default
 * @param owner the user the job is for; absent means the caller. Naming another user needs the
 * scope {@code jobs:submit-for} (docs/submitting-for-users.md)
 */
record SubmitJobRequest(@Nullable String type, @Nullable JsonNode payload, @Nullable Integer maxAttempts,
		@Nullable String timeout, @Nullable String owner) {
}
