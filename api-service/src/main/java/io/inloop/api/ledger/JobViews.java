package io.inloop.api.ledger;

import java.util.ArrayList;
import java.util.List;

import io.inloop.schemas.JobView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Jobs as another instance answered them, read back into {@link JobView}s: a job's {@code result}
 * is raw JSON ({@code @JsonRawValue}), which Jackson writes as it is but cannot read into its string.
 */
@Component
public class JobViews {

	private final JsonMapper json;

	JobViews(JsonMapper json) {
		this.json = json;
	}

	/** The jobs of a JSON array of them (a missing or null node is none). */
	public List<JobView> list(JsonNode jobs) {
		List<JobView> views = new ArrayList<>();
		for (JsonNode job : jobs) {
			views.add(of(job));
		}
		return views;
	}

	public JobView of(JsonNode job) {
		ObjectNode fields = ((ObjectNode) job).deepCopy();
		JsonNode result = fields.remove("result");
		JobView view = this.json.treeToValue(fields, JobView.class);
		if (result == null || result.isNull()) {
			return view;
		}
		return new JobView(view.id(), view.owner(), view.type(), view.state(), view.progress(), view.message(),
				result.toString(), view.error(), view.attempt(), view.version(), view.submittedAt(), view.updatedAt(),
				view.startedAt(), view.finishedAt(), view.nextAttemptAt(), view.resubmitOf());
	}

	public JsonNode read(byte[] body) {
		return this.json.readTree(body);
	}

	public byte[] write(Object value) {
		return this.json.writeValueAsBytes(value);
	}

}
