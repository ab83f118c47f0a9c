package io.inloop.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.inloop.history.Cursor;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class JobFramesTests {

	private final JobFrames frames = new JobFrames();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void writesTheDocumentedFrame() {
		JobFrame frame = this.frames.frame(new Cursor(2, 41), 0L, running("alice", "Größe ändern ✓"));

		String text = new String(frame.payload(), StandardCharsets.UTF_8);
		assertThat(text).startsWith("{\"type\":\"job\",\"cursor\":\"2-41\",\"job\":{\"id\":\"job-7\",");
		JsonNode job = this.json.readTree(text).get("job");
		assertThat(job.get("owner").asString()).isEqualTo("alice");
		assertThat(job.get("state").asString()).isEqualTo("RUNNING");
		assertThat(job.get("message").asString()).as("UTF-8").isEqualTo("Größe ändern ✓");
		assertThat(job.get("progress").get("done").asLong()).isEqualTo(3);
		assertThat(job.get("version").asLong()).isEqualTo((2L << 32) | (5 << 1));
		assertThat(job.get("startedAt").asString()).isEqualTo("2026-11-27T10:15:31Z");
		assertThat(job.has("result")).isFalse();
		assertThat(job.has("error")).isFalse();
		assertThat(job.has("finishedAt")).isFalse();
	}

	@Test
	void keepsWhatRoutingNeedsBesideThePayload() {
		JobFrame frame = this.frames.frame(new Cursor(0, 3), 0L, running("bob", null));

		assertThat(frame.owner()).isEqualTo("bob");
		assertThat(frame.jobId()).isEqualTo("job-7");
		assertThat(frame.state()).isEqualTo(JobState.RUNNING);
		assertThat(frame.cursor()).isEqualTo(new Cursor(0, 3));
		assertThat(frame.isTerminal()).isFalse();
	}

	private static JobStatusChanged running(String owner, String message) {
		Instant submitted = Instant.parse("2026-11-27T10:15:30Z");
		return JobStatusChanged.newBuilder()
			.setJobId("job-7")
			.setOwner(owner)
			.setType("demo.steps")
			.setState(JobState.RUNNING)
			.setProgress(new JobProgress(3L, 10L))
			.setMessage(message)
			.setAttempt(2)
			.setSequence(5)
			.setSubmittedAt(submitted)
			.setStartedAt(submitted.plusSeconds(1))
			.setUpdatedAt(submitted.plusSeconds(2))
			.build();
	}

}
