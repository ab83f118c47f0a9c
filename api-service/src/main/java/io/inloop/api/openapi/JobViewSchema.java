package io.inloop.api.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.inloop.schemas.JobView;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Describes {@link JobView}, the job as every client sees it (shared with the notifier's frames, so
 * it lives in {@code schemas}, which knows nothing of OpenAPI): its properties come from the real
 * record, their meaning from here, as docs/protocol.md states it.
 */
final class JobViewSchema {

	static final String NAME = JobView.class.getSimpleName();

	/** Always present; the rest are left out when they have no value. */
	static final List<String> REQUIRED = List.of("id", "owner", "type", "state", "progress", "message", "attempt",
			"version", "submittedAt", "updatedAt");

	static final Map<String, String> DESCRIPTIONS = descriptions();

	void describe(OpenAPI openApi) {
		Map<String, Schema> schemas = openApi.getComponents().getSchemas();
		Schema<?> view = (schemas != null) ? schemas.get(NAME) : null;
		if (view == null || view.getProperties() == null) {
			return;
		}
		view.description("A job: one full snapshot of its status (docs/protocol.md, the job frame). "
				+ "Optional members are left out, never null; message is always there and may be null.");
		Map<String, Schema> properties = view.getProperties();
		// Embedded as JSON, not a string (@JsonRawValue): any JSON value
		properties.put("result", new Schema<>());
		properties.get("message").setTypes(Set.of("string", "null"));
		properties.forEach((name, property) -> {
			String description = DESCRIPTIONS.get(name);
			if (description != null && property.get$ref() == null) {
				property.setDescription(description);
			}
		});
		view.setRequired(REQUIRED);
		describe(schemas.get("Progress"), "How far a job is", Map.of("done", "Steps done", "total",
				"Steps in all; 0 when the job has not said"));
		describe(schemas.get("Failure"), "Why an attempt failed", Map.of("code",
				"Stable and machine-readable, e.g. handler-error, timeout, worker-lost", "message",
				"For the job's user", "retryable", "Whether another attempt follows (RETRYING) or the job FAILED"));
	}

	private static void describe(@Nullable Schema<?> schema, String description, Map<String, String> properties) {
		if (schema == null || schema.getProperties() == null) {
			return;
		}
		schema.setDescription(description);
		schema.getProperties().forEach((name, property) -> property.setDescription(properties.get(name)));
		schema.setRequired(List.copyOf(schema.getProperties().keySet()));
	}

	private static Map<String, String> descriptions() {
		Map<String, String> descriptions = new LinkedHashMap<>();
		descriptions.put("id", "The job id");
		descriptions.put("owner", "The user (JWT sub) the job belongs to: the caller, the user a service submitted it for, "
				+ "or, under /admin/**, any user");
		descriptions.put("type", "The job type, as submitted, e.g. demo.steps");
		descriptions.put("state", "SUCCEEDED, FAILED and CANCELLED are terminal: nothing follows them");
		descriptions.put("progress", "How far the job is: done of total; total 0 means the job has not said");
		descriptions.put("message", "What the job is doing, in words for its user; null when it has nothing to say");
		descriptions.put("result", "The job's result, any JSON (embedded, not a string); set when SUCCEEDED");
		descriptions.put("error", "Why the last attempt failed; code is stable and machine-readable, message is for the user");
		descriptions.put("attempt", "0 while queued, then 1, 2, ... per execution attempt");
		descriptions.put("version", "Orders the snapshots of one job: a later snapshot has a greater version "
				+ "(attempt << 32 | sequence << 1 | report); exact as a JavaScript number");
		descriptions.put("submittedAt", "When the API accepted the job");
		descriptions.put("updatedAt", "When this snapshot was made");
		descriptions.put("startedAt", "When the current attempt started");
		descriptions.put("finishedAt", "When the job ended (terminal states)");
		descriptions.put("nextAttemptAt", "When the next attempt starts, while RETRYING");
		descriptions.put("resubmitOf", "Set on a job an operator re-submitted from the dead letters: the earlier job's id");
		return descriptions;
	}

}
