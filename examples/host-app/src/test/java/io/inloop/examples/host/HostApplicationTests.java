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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The host app as a worker, through the real starter and the run's embedded broker: a job submitted
 * as api-service submits it runs in the app's own handler, and its owner sees every step.
 */
@SpringBootTest(properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
		"inloop.worker.shutdown-grace=2s" })
@Import(InloopTopics.class)
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

	private List<JobStatusChanged> awaitTerminal(SubmitJob command) {
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.api.snapshotsOf(command),
					(snapshots) -> snapshots.stream().anyMatch((snapshot) -> JobLifecycle.isTerminal(snapshot.getState())));
	}

}
