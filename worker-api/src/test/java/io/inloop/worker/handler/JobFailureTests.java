package io.inloop.worker.handler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JobFailureTests {

	@Test
	void permanentAndRetryableSayWhetherAnotherAttemptCouldHelp() {
		assertThat(JobFailure.permanent("no-images", "The job lists no images"))
			.isEqualTo(new JobFailure("no-images", "The job lists no images", false));
		assertThat(JobFailure.retryable("store-down", "The image store did not answer").retryable()).isTrue();
	}

	@Test
	void aFailureWithoutACodeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> JobFailure.permanent(" ", "Something"))
			.withMessage("'code' must not be empty");
	}

	@Test
	void theExceptionCarriesTheFailureAndItsMessage() {
		JobFailedException ex = new JobFailedException(JobFailure.permanent("no-images", "The job lists no images"));
		assertThat(ex.failure().code()).isEqualTo("no-images");
		assertThat(ex).hasMessage("The job lists no images");
	}

}
