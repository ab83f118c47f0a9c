package io.inloop.worker.execution;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A host app sets no {@code inloop.worker.*}: the defaults are the ones docs/operations.md lists. */
class WorkerSettingsTests {

	@Test
	void everySettingHasItsDocumentedDefault() {
		WorkerSettings settings = bind(Map.of());
		assertThat(settings.concurrency()).isEqualTo(32);
		assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.retryOnTimeout()).isFalse();
		assertThat(settings.retry()).isEqualTo(new WorkerSettings.Retry(Duration.ofSeconds(1), 2, Duration.ofMinutes(1),
				Duration.ofMillis(250)));
		assertThat(settings.timeouts().defaultTimeout()).isEqualTo(Duration.ofMinutes(10));
		assertThat(settings.timeouts().max()).isEqualTo(Duration.ofMinutes(25));
		assertThat(settings.timeouts().perType()).isEmpty();
		assertThat(settings.queue().lockDuration()).isEqualTo(Duration.ofSeconds(15));
		assertThat(settings.queue().deliveryLimit()).isEqualTo(10);
		assertThat(settings.queue().fetchBatch()).isEqualTo(16);
		assertThat(settings.queue().autoStartup()).isTrue();
		assertThat(settings.queue().consumer()).containsEntry("fetch.max.wait.ms", "5000")
			.containsEntry("metadata.recovery.strategy", "none")
			.containsEntry("reconnect.backoff.max.ms", "2000");
		assertThat(settings.cancellation()).isEqualTo(new WorkerSettings.Cancellation(Duration.ofDays(7), 1_000_000,
				Duration.ofSeconds(10)));
	}

	@Test
	void aCancellationIsRememberedSevenDaysAndFourHoursTwentyThreeMinutesByDefault() {
		assertThat(bind(Map.of()).cancellationHorizon())
			.isEqualTo(Duration.ofDays(7).plusHours(4).plusMinutes(22).plusSeconds(32).plusMillis(500));
	}

	@Test
	void theShareConsumersSettingsAddToTheDefaults() {
		WorkerSettings settings = bind(Map.of("inloop.worker.queue.consumer.fetch.max.wait.ms", "100",
				"inloop.worker.queue.consumer.client.rack", "eu-1a", "inloop.worker.concurrency", "4"));
		assertThat(settings.concurrency()).isEqualTo(4);
		assertThat(settings.queue().consumer()).containsEntry("fetch.max.wait.ms", "100")
			.containsEntry("client.rack", "eu-1a")
			.containsEntry("metadata.recovery.strategy", "none");
	}

	private static WorkerSettings bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("inloop.worker",
				WorkerSettings.class);
	}

}
