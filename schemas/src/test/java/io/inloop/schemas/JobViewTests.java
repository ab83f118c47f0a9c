package io.inloop.schemas;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.inloop.schemas.JobEvents.aSnapshot;
import static org.assertj.core.api.Assertions.assertThat;

class JobViewTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void rendersTheDocumentedJsonShape() {
		JobStatusChanged event = aSnapshot("job-1", JobState.SUCCEEDED, 1, 7).setResult("{\"url\":\"/files/1\"}")
			.build();

		JsonNode node = this.json.readTree(this.json.writeValueAsString(JobView.of(event)));

		assertThat(node.get("id").asString()).isEqualTo("job-1");
		assertThat(node.get("state").asString()).isEqualTo("SUCCEEDED");
		assertThat(node.get("progress").get("done").asLong()).isEqualTo(2);
		assertThat(node.get("progress").get("total").asLong()).isEqualTo(5);
		assertThat(node.get("message").asString()).isEqualTo("step 2 of 5");
		assertThat(node.get("result").get("url").asString()).as("result is embedded JSON").isEqualTo("/files/1");
		assertThat(node.get("version").asLong()).isEqualTo((1L << 32) | (7 << 1));
		assertThat(node.get("updatedAt").asString()).isEqualTo("2026-11-27T10:15:30.163Z");
		assertThat(node.has("error")).as("absent fields are left out").isFalse();
	}

	@Test
	void messageIsAlwaysPresent() {
		JsonNode node = this.json
			.readTree(this.json.writeValueAsString(JobView.of(aSnapshot("job-2", JobState.RUNNING, 1, 0).setMessage(null)
				.build())));

		assertThat(node.has("message")).isTrue();
		assertThat(node.get("message").isNull()).isTrue();
	}

}
