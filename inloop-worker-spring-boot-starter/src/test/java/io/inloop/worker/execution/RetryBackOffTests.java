package io.inloop.worker.execution;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackOffTests {

	private final RetryBackOff backOff = new RetryBackOff(new WorkerSettings(1, Duration.ofSeconds(5), Duration.ofSeconds(30),
			false, new WorkerSettings.Retry(Duration.ofSeconds(1), 2, Duration.ofMinutes(1), Duration.ofMillis(250)),
			new WorkerSettings.Timeouts(Duration.ofMinutes(10), Duration.ofMinutes(25), List.of()),
			new WorkerSettings.Cancellation(Duration.ofHours(1), 10, Duration.ofSeconds(10)),
			new WorkerSettings.Queue(Duration.ofSeconds(15), 10, 16, Map.of(), true)));

	@RepeatedTest(20)
	void growsExponentiallyWithJitterUpToTheMaximum() {
		assertThat(this.backOff.after(1)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1250));
		assertThat(this.backOff.after(2)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
		assertThat(this.backOff.after(3)).isBetween(Duration.ofMillis(3000), Duration.ofMillis(5000));
		assertThat(this.backOff.after(10)).isBetween(Duration.ofSeconds(30), Duration.ofMinutes(1));
	}

}
