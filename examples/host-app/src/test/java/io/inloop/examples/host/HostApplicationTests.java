package io.inloop.examples.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;

import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobHandler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The host app as a worker, through the real starter and the run's embedded broker: a job submitted
 * as api-service submits it runs in the app's own handler, and its owner sees every step.
 */
@SpringBootTest(properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
		"inloop.worker.shutdown-grace=2s", "inloop.worker.retry.initial-interval=100ms",
		"inloop.worker.retry.max-interval=200ms", "inloop.worker.retry.jitter=20ms" })
@Import({ InloopTopics.class, HostApplicationTests.MoreHandlers.class })
class HostApplicationTests {

	private final ApiService api = new ApiService();

	@Autowired
	KafkaTemplate<String, String> hostTemplate;

	@Autowired
	Map<String, HealthIndicator> health;

	@AfterEach
	void close() {
		this.api.close();
	}

	@Test
	void runsTheAppsHandlerAndPublishesQueuedRunningProgressAndSucceeded() throws Exception {
		SubmitJob command = this.api.submit("reports.export", "{\"pages\": 3}");
		List<JobStatusChanged> snapshots = awaitTerminal(command);
		assertThat(snapshots).extracting(JobStatusChanged::getState)
			.containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.RUNNING, JobState.RUNNING, JobState.RUNNING,
					JobState.SUCCEEDED);
		assertThat(snapshots.subList(2, 5)).extracting((snapshot) -> snapshot.getProgress().getDone() + "/"
				+ snapshot.getProgress().getTotal() + " " + snapshot.getMessage())
			.containsExactly("1/3 Exported page 1 of 3", "2/3 Exported page 2 of 3", "3/3 Exported page 3 of 3");
		JobStatusChanged succeeded = snapshots.get(5);
		assertThat(succeeded.getAttempt()).isEqualTo(1);
		assertThat(succeeded.getResult()).isEqualTo("\"/reports/" + command.getJobId() + ".csv\"");
	}

	@Test
	void failsAJobWhosePayloadDoesNotBindAtOnce() throws Exception {
		SubmitJob command = this.api.submit("reports.export", "{\"pages\": \"many\"}");
		JobStatusChanged failed = awaitTerminal(command).get(2);
		assertThat(failed.getState()).isEqualTo(JobState.FAILED);
		assertThat(failed.getError().getCode()).isEqualTo("invalid-payload");
		assertThat(failed.getError().getRetryable()).isFalse();
	}

	@Test
	void retriesAnAttemptThatFailedWithAnException() throws Exception {
		SubmitJob command = this.api.submit("tests.flaky", "{}");
		List<JobStatusChanged> snapshots = awaitTerminal(command);
		assertThat(snapshots).extracting((snapshot) -> snapshot.getState() + " " + snapshot.getAttempt())
			.containsExactly("QUEUED 0", "RUNNING 1", "RETRYING 1", "RUNNING 2", "SUCCEEDED 2");
		assertThat(snapshots.get(2).getError().getCode()).isEqualTo("handler-error");
		assertThat(snapshots.get(2).getError().getMessage()).isEqualTo("The first attempt fails");
	}

	@Test
	void cancelsARunningJobWhenItsOwnerCancelsIt() throws Exception {
		SubmitJob command = this.api.submit("tests.wait", "{}");
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.api.snapshotsOf(command),
					(snapshots) -> snapshots.stream().anyMatch((snapshot) -> snapshot.getState() == JobState.RUNNING));
		this.api.cancel(command);
		List<JobStatusChanged> snapshots = awaitTerminal(command);
		assertThat(snapshots.get(snapshots.size() - 1).getState()).isEqualTo(JobState.CANCELLED);
	}

	@Test
	void reportsTheWorkersHealthAmongTheAppsOwn() {
		assertThat(this.health).containsKeys("kafka", "jobSlots", "controlReader");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.health.get("jobSlots").health().getStatus()).isEqualTo(Status.UP));
	}

	@Test
	void leavesTheAppsOwnKafkaTemplateAndItsSerializersAlone() throws Exception {
		this.hostTemplate.send(InloopTopics.HOST_TOPIC, "invoice-1", "paid").get();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				System.getProperty("spring.embedded.kafka.brokers"), ConsumerConfig.GROUP_ID_CONFIG, "host-test",
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(InloopTopics.HOST_TOPIC));
			ConsumerRecords<String, String> records = await().atMost(Duration.ofSeconds(20))
				.until(() -> consumer.poll(Duration.ofMillis(100)), (polled) -> !polled.isEmpty());
			assertThat(records.iterator().next().value()).isEqualTo("paid");
		}
	}

	/** Handlers that show the worker's retries and cancellation in a host app. */
	@TestConfiguration(proxyBeanMethods = false)
	static class MoreHandlers {

		@Bean
		JobHandler<Map<?, ?>> flakyJobHandler() {
			return handler("tests.flaky", (context) -> {
				if (context.attempt() == 1) {
					throw new IllegalStateException("The first attempt fails");
				}
				return null;
			});
		}

		@Bean
		JobHandler<Map<?, ?>> waitingJobHandler() {
			return handler("tests.wait", (context) -> {
				while (!context.awaitCancellation(Duration.ofSeconds(1))) {
					context.message("Still waiting");
				}
				context.checkCancelled();
				return null;
			});
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private static JobHandler<Map<?, ?>> handler(String type, Body body) {
			return new JobHandler<>() {

				@Override
				public String type() {
					return type;
				}

				@Override
				public Class<Map<?, ?>> payloadType() {
					return (Class) Map.class;
				}

				@Override
				public Object handle(Map<?, ?> payload, JobContext context) throws Exception {
					return body.run(context);
				}

			};
		}

		interface Body {

			Object run(JobContext context) throws Exception;

		}

	}

	private List<JobStatusChanged> awaitTerminal(SubmitJob command) {
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.api.snapshotsOf(command),
					(snapshots) -> snapshots.stream().anyMatch((snapshot) -> JobLifecycle.isTerminal(snapshot.getState())));
	}

}
