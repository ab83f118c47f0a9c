package io.inloop.api.jobs;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/jobs}.
 *
 * @param type the job type, e.g. {@code demo.steps}
 * @param payload the handler's input, a JSON object; absent means {@code {}}
 */
record SubmitJobRequest(@Nullable String type, @Nullable JsonNode payload) {
}
