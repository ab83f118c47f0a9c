package io.inloop.api.jobs;

import io.swagger.v3.oas.annotations.media.Schema;
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
@Schema(description = "A job to run for the caller, or, with scope jobs:submit-for, for the user it names")
record SubmitJobRequest(
		@Schema(description = "The job type, one of those configured (inloop.api.job-types); an unknown one is "
				+ "refused with its list", requiredMode = Schema.RequiredMode.REQUIRED, example = "demo.steps") @Nullable String type,
		@Schema(description = "The handler's input, a JSON object; absent means {}", types = "object",
				example = "{\"steps\":5,\"delayMs\":1000}") @Nullable JsonNode payload,
		@Schema(description = "Attempts before the job fails for good, 1-10; absent means the type's default (3)",
				minimum = "1", maximum = "10") @Nullable Integer maxAttempts,
		@Schema(description = "How long one attempt may run, an ISO-8601 duration from PT1S to PT24H; absent means "
				+ "the type's default (PT10M)", example = "PT30S") @Nullable String timeout,
		@Schema(description = "The user (JWT sub) the job is for; absent means the caller. Naming another user "
				+ "needs the scope jobs:submit-for (docs/submitting-for-users.md)", example = "alice") @Nullable String owner) {
}
