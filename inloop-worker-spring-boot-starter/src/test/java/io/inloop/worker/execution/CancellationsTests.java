package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CancellationsTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void cancellationIsRememberedAsLongAsItsJobMayStillStartOrRun() {
		WorkerSettings settings = settings(Duration.ofSeconds(1), 10);
		Cancellations cancellations = new Cancellations(settings, this.meters);
		// 1 s in the queue, then 10 attempts of 25 min + 15 s lock + 1 min back-off + 250 ms jitter
		assertThat(cancellations.horizon()).isEqualTo(Duration.ofSeconds(1).plus(Duration.ofMillis(1_575_250).multipliedBy(10)));

		cancellations.cancel("job-1", Instant.now().minus(Duration.ofHours(4)));
		cancellations.cancel("job-2", Instant.now().minus(Duration.ofHours(5)));

		assertThat(cancellations.isCancelled("job-1")).as("within the horizon, long after remember").isTrue();
		assertThat(cancellations.isCancelled("job-2")).as("past the horizon: it can no longer run").isFalse();
	}

	@Test
	void cancellationsBeyondTheRoomAreForgottenOldestFirstAndCounted() {
		Cancellations cancellations = new Cancellations(settings(Duration.ofDays(7), 2), this.meters);

		cancellations.cancel("job-1", Instant.now());
		cancellations.cancel("job-2", Instant.now());
		cancellations.cancel("job-3", Instant.now());

		assertThat(List.of("job-1", "job-2", "job-3")).filteredOn(cancellations::isCancelled)
			.containsExactly("job-2", "job-3");
		assertThat(cancellations.forgottenEarly()).isEqualTo(1);
		assertThat(this.meters.get("inloop.worker.cancellations.forgotten").tag("reason", "capacity").counter().count())
			.isEqualTo(1);
		assertThat(this.meters.get("inloop.worker.cancellations.remembered").gauge().value()).isEqualTo(2);
	}

	private static WorkerSettings settings(Duration remember, int maxRemembered) {
		return new WorkerSettings(1, Duration.ofSeconds(5), Duration.ofSeconds(30), false,
				new WorkerSettings.Retry(Duration.ofSeconds(1), 2, Duration.ofMinutes(1), Duration.ofMillis(250)),
				new WorkerSettings.Timeouts(Duration.ofMinutes(10), Duration.ofMinutes(25), List.of()),
				new WorkerSettings.Cancellation(remember, maxRemembered, Duration.ofSeconds(10)),
				new WorkerSettings.Queue(Duration.ofSeconds(15), 10, 16, java.util.Map.of(), true));
	}

}
