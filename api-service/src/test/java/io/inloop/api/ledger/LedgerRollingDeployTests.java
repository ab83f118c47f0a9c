package io.inloop.api.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.api.ApiRequests;
import io.inloop.schemas.JobState;
import io.inloop.schemas.NewerWriter;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.inloop.schemas.JobEvents.aSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Status records of a writer one release ahead of this ledger, as in a rolling deploy: none is lost. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class LedgerRollingDeployTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	/** The newer writer's process. */
	private SchemaCatalog writer;

	private KafkaProducer<String, byte[]> producer;

	@BeforeEach
	void newerWriter() {
		Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.brokers);
		this.writer = new SchemaCatalog(client, client);
		this.producer = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer());
		await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
	}

	@AfterEach
	void close() {
		this.producer.close();
		this.writer.close();
	}

	@Test
	void statusOfANewerWriterReachesTheLedgerAndIsNotDeadLettered() throws Exception {
		String owner = "user-" + UUID.randomUUID();
		NewerWriter newer = NewerWriter.withExtraField().publishTo(this.writer);

		send(owner, newer.write(aSnapshot(owner + "-1", JobState.RUNNING, 1, 0).setOwner(owner).build()));

		await().atMost(Duration.ofSeconds(20)).until(() -> status(owner, owner + "-1") == 200);
		this.http.get().uri("/api/jobs/{id}", owner + "-1").headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectBody().jsonPath("$.owner").isEqualTo(owner).jsonPath("$.progress.done").isEqualTo(2);
		assertThat(deadLettersOf(owner)).isEmpty();
	}

	@Test
	void statusWhoseSchemaIsNowhereHoldsTheLedgerOutOfServiceUntilItIsPublished() throws Exception {
		String owner = "user-" + UUID.randomUUID();
		NewerWriter unpublished = NewerWriter.withExtraField("f" + UUID.randomUUID().toString().replace("-", ""));
		try {
			send(owner, unpublished.write(aSnapshot(owner + "-1", JobState.RUNNING, 1, 0).setOwner(owner).build()));
			send(owner, new AvroSerializer<>(JobStatusChanged.class).serialize(Topics.JOB_STATUS,
					aSnapshot(owner + "-2", JobState.QUEUED, 0, 0).setOwner(owner).build()));

			await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 503);
			this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
				.expectBody().jsonPath("$.status").isEqualTo("OUT_OF_SERVICE");
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
				.until(() -> status(owner, owner + "-2") != 200);
			assertThat(deadLettersOf(owner)).as("held, not dead-lettered").isEmpty();
		}
		finally {
			// Also lets the other tests' records through
			unpublished.publishTo(this.writer);
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> status(owner, owner + "-1") == 200
				&& status(owner, owner + "-2") == 200);
		await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
		assertThat(deadLettersOf(owner)).isEmpty();
	}

	private RecordMetadata send(String owner, byte[] value) throws Exception {
		return this.producer.send(new ProducerRecord<>(Topics.JOB_STATUS, owner, value)).get();
	}

	private int status(String owner, String id) {
		return this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.returnResult(String.class).getStatus().value();
	}

	private int readiness() {
		return ApiRequests.readiness(this.http);
	}

	/** The dead letters keyed by {@code owner}, read to the end of the dead-letter topic. */
	private List<String> deadLettersOf(String owner) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers);
		List<String> dead = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetter(Topics.JOB_STATUS)).stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (owner.equals(record.key())) {
						dead.add(record.topic() + "@" + record.offset());
					}
				});
			}
		}
		return dead;
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

}
