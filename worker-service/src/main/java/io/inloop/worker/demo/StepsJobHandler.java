package io.inloop.worker.demo;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobHandler;

import org.springframework.stereotype.Component;

/**
 * {@code demo.steps}: reports {@code steps} steps, {@code delayMs} apart, then succeeds with
 * {@code {"steps": N}}. A cancellation ends it between steps.
 */
@Component
class StepsJobHandler implements JobHandler<StepsJobHandler.Steps> {

	static final String TYPE = "demo.steps";

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public Class<Steps> payloadType() {
		return Steps.class;
	}

	@Override
	public Result handle(Steps payload, JobContext context) throws InterruptedException {
		for (int step = 1; step <= payload.steps(); step++) {
			if (payload.delayMs() > 0) {
				context.awaitCancellation(Duration.ofMillis(payload.delayMs()));
			}
			context.checkCancelled();
			context.progress(step, payload.steps(), "Step " + step + " of " + payload.steps());
		}
		return new Result(payload.steps());
	}

	/**
	 * The payload, {@code {"steps": N, "delayMs": M}}.
	 *
	 * @param steps how many steps to report, 1 to {@value #MAX_STEPS}
	 * @param delayMs pause before each step, 0 to {@value #MAX_DELAY_MS}
	 */
	record Steps(int steps, long delayMs) {

		static final int DEFAULT_STEPS = 10;

		static final int MAX_STEPS = 10_000;

		static final long MAX_DELAY_MS = 60_000;

		Steps {
			if (steps < 1 || steps > MAX_STEPS) {
				throw new IllegalArgumentException("steps must be between 1 and " + MAX_STEPS + ", was " + steps);
			}
			if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
				throw new IllegalArgumentException(
						"delayMs must be between 0 and " + MAX_DELAY_MS + ", was " + delayMs);
			}
		}

		@JsonCreator
		static Steps of(@JsonProperty("steps") @Nullable Integer steps, @JsonProperty("delayMs") @Nullable Long delayMs) {
			return new Steps((steps != null) ? steps : DEFAULT_STEPS, (delayMs != null) ? delayMs : 0);
		}

	}

	record Result(int steps) {

	}

}
