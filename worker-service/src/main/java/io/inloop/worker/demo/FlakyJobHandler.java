package io.inloop.worker.demo;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobHandler;

import org.springframework.stereotype.Component;

/**
 * {@code demo.flaky}: works silently for {@code delayMs}, then fails with a retryable error on
 * attempts 1 to {@code failures} and succeeds after that with {@code {"attempts": N}}.
 */
@Component
class FlakyJobHandler implements JobHandler<FlakyJobHandler.Flaky> {

	static final String TYPE = "demo.flaky";

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public Class<Flaky> payloadType() {
		return Flaky.class;
	}

	@Override
	public Result handle(Flaky payload, JobContext context) throws InterruptedException {
		if (payload.delayMs() > 0) {
			context.awaitCancellation(Duration.ofMillis(payload.delayMs()));
		}
		context.checkCancelled();
		if (context.attempt() <= payload.failures()) {
			throw new FailingJobHandler.DemoFailureException(
					"Demo failure: attempt " + context.attempt() + " of a job that fails " + payload.failures() + " time(s)");
		}
		return new Result(context.attempt());
	}

	/**
	 * The payload, {@code {"failures": N, "delayMs": M}}.
	 *
	 * @param failures how many attempts fail before one succeeds
	 * @param delayMs how long each attempt works before it fails or succeeds, 0 to
	 * {@value #MAX_DELAY_MS}
	 */
	record Flaky(int failures, long delayMs) {

		static final long MAX_DELAY_MS = 600_000;

		Flaky {
			if (failures < 0) {
				throw new IllegalArgumentException("failures must not be negative, was " + failures);
			}
			if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
				throw new IllegalArgumentException("delayMs must be between 0 and " + MAX_DELAY_MS + ", was " + delayMs);
			}
		}

		@JsonCreator
		static Flaky of(@JsonProperty("failures") @Nullable Integer failures,
				@JsonProperty("delayMs") @Nullable Long delayMs) {
			return new Flaky((failures != null) ? failures : 0, (delayMs != null) ? delayMs : 0);
		}

	}

	record Result(int attempts) {

	}

}
