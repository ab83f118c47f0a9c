package io.inloop.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JSON mirror of the real processes: a job's frames on {@code inloop.job-status.json}, read as
 * any Kafka client outside the JVM would (read committed), are its owner's WebSocket frames.
 */
class StatusMirrorIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static InloopSystem system;

	private static ApiClient api;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
	}

	@Test
	void mirrorCarriesEachOfAJobsFramesOnceAsItsOwnerSawThem() throws Exception {
		String dora = "dora-" + UUID.randomUUID();
		try (FrameRecorder browser = FrameRecorder.connect(system.notifierWebSocket(), system.token(dora))) {
			String job = api.submitAccepted(system.token(dora),
					"{\"type\":\"demo.steps\",\"payload\":{\"steps\":3,\"delayMs\":20}}");
			await().atMost(Duration.ofSeconds(30)).until(() -> browser.endsWith(job, "SUCCEEDED"));

			// Read committed: a transaction left open by an api-service killed just before (ApiRestartIT
			// runs first) holds every later frame of its partition until it times out (1 min, docs/wire-format.md).
			List<JsonNode> mirrored = await().atMost(Duration.ofSeconds(75)).until(() -> mirrored(dora),
					(frames) -> !frames.isEmpty()
							&& frames.get(frames.size() - 1).at("/job/state").asString().equals("SUCCEEDED"));

			assertThat(mirrored).isEqualTo(browser.jobFrames());
			assertThat(mirrored).extracting((frame) -> frame.at("/job/state").asString())
				.containsExactly("QUEUED", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED");
		}
	}

	/** {@code owner}'s frames in the mirror, from the beginning to the end of each partition. */
	private static List<JsonNode> mirrored(String owner) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.brokers(),
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
				new StringDeserializer(), new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_STATUS_JSON).stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition())).toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			List<JsonNode> frames = new ArrayList<>();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (owner.equals(record.key())) {
						frames.add(json.readTree(record.value()));
					}
				});
			}
			return frames;
		}
	}

}
