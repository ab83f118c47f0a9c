package io.inloop.worker.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

import io.inloop.worker.handler.JobContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StepsJobHandlerTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void missingPropertiesTakeTheirDefaults() {
		assertThat(this.json.readValue("{}", StepsJobHandler.Steps.class))
			.isEqualTo(new StepsJobHandler.Steps(10, 0));
	}

	@Test
	void rejectsStepsAndDelaysOutOfRange() {
		assertThatExceptionOfType(ValueInstantiationException.class)
			.isThrownBy(() -> this.json.readValue("{\"steps\": 10001}", StepsJobHandler.Steps.class))
			.havingCause()
			.withMessage("steps must be between 1 and 10000, was 10001");
		assertThatExceptionOfType(ValueInstantiationException.class)
			.isThrownBy(() -> this.json.readValue("{\"delayMs\": -1}", StepsJobHandler.Steps.class))
			.havingCause()
			.withMessage("delayMs must be between 0 and 60000, was -1");
	}

	@Test
	void reportsEachStepAndReturnsTheStepCount() throws Exception {
		RecordingContext context = new RecordingContext();

		Object result = new StepsJobHandler().handle(new StepsJobHandler.Steps(3, 0), context);

		assertThat(context.reports).containsExactly("1/3 Step 1 of 3", "2/3 Step 2 of 3", "3/3 Step 3 of 3");
		assertThat(this.json.writeValueAsString(result)).isEqualTo("{\"steps\":3}");
	}

	@Test
	void failingJobWithoutMessageUsesTheDefault() {
		assertThat(this.json.readValue("{}", FailingJobHandler.Failure.class).message())
			.isEqualTo("Demo failure: this job always fails");
	}

	private static final class RecordingContext implements JobContext {

		private final List<String> reports = new ArrayList<>();

		@Override
		public String jobId() {
			return "job-1";
		}

		@Override
		public int attempt() {
			return 1;
		}

		@Override
		public String owner() {
			return "alice";
		}

		@Override
		public void progress(long done, long total, @Nullable String message) {
			this.reports.add(done + "/" + total + " " + message);
		}

		@Override
		public void message(String message) {
			this.reports.add(message);
		}

		@Override
		public boolean isCancelled() {
			return false;
		}

		@Override
		public void checkCancelled() {
		}

		@Override
		public boolean awaitCancellation(Duration timeout) {
			return false;
		}

	}

}
