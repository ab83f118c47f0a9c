package io.inloop.api.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.api.ApiRequests;
import io.inloop.schemas.JobEvents;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.security.TokenSigner;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ledger's bounds against the real broker: retention of finished jobs, lists by limit, read your writes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "inloop.ledger.retention=3s", "inloop.ledger.retention-check-interval=200ms",
				"inloop.ledger.read-your-writes=2s" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class LedgerRetentionTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private JobLedger ledger;

	@Autowired
	private MeterRegistry meters;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	@Test
	void finishedJobLeavesTheApiAndInloopJobsAfterTheRetention() {
		String owner = uniqueUser();
		String finished = submit(owner);
		String queued = submit(owner);
		this.http.post().uri("/api/jobs/{id}/cancel", finished).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isAccepted();
		await().atMost(PATIENCE).untilAsserted(() -> get(owner, finished).expectStatus().isOk()
			.expectBody().jsonPath("$.state").isEqualTo("CANCELLED"));

		await().atMost(PATIENCE).untilAsserted(() -> get(owner, finished).expectStatus().isNotFound());
		this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].id").isEqualTo(queued);
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(lastValueOf(finished)).as("a tombstone").isNull());
		assertThat(lastValueOf(queued)).isNotNull();
	}

	@Test
	void listWithALimitReadsAboutThatManyEntriesWhateverTheOwnersHistory() {
		String owner = uniqueUser();
		Instant first = Instant.now().minus(Duration.ofHours(1));
		List<String> ids = new ArrayList<>();
		try (KafkaProducer<String, JobStatusChanged> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringSerializer(),
				new AvroSerializer<>(JobStatusChanged.class))) {
			for (int i = 0; i < 500; i++) {
				String id = "job-" + i + "-" + UUID.randomUUID();
				ids.add(id);
				Instant submittedAt = first.plusMillis(i);
				producer.send(new ProducerRecord<>(Topics.JOB_STATUS, owner, JobEvents.aSnapshot(id, JobState.QUEUED, 0, 0)
					.setOwner(owner)
					.setSubmittedAt(submittedAt)
					.setUpdatedAt(submittedAt)
					.build()));
			}
		}
		String newest = ids.get(ids.size() - 1);
		await().atMost(PATIENCE).untilAsserted(() -> get(owner, ids.get(0)).expectStatus().isOk());
		await().atMost(PATIENCE).untilAsserted(() -> get(owner, newest).expectStatus().isOk());
		DistributionSummary reads = this.meters.get("inloop.ledger.list.reads").summary();
		double readBefore = reads.totalAmount();
		long listsBefore = reads.count();

		this.http.get().uri("/api/jobs?limit=5").headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(5)
			.jsonPath("$[0].id").isEqualTo(newest)
			.jsonPath("$[4].id").isEqualTo(ids.get(ids.size() - 5));

		assertThat(reads.count()).isEqualTo(listsBefore + 1);
		// One index entry and one job per listed job: not the 500 the owner has
		assertThat(reads.totalAmount() - readBefore).isLessThanOrEqualTo(2 * 5);
	}

	@Test
	void readYourWritesMemoryDoesNotGrowWithSubmittedJobs() {
		String owner = uniqueUser();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			ids.add(submit(owner));
		}
		assertThat(this.ledger.recentlySubmitted()).isGreaterThanOrEqualTo(1);
		await().atMost(PATIENCE).untilAsserted(() -> get(owner, ids.get(ids.size() - 1)).expectStatus().isOk());

		// Once a list sees that the ledger has them, they leave memory
		await().atMost(PATIENCE).untilAsserted(() -> {
			this.http.get().uri("/api/jobs?limit=100").headers((h) -> h.setBearerAuth(token(owner))).exchange()
				.expectStatus().isOk()
				.expectBody().jsonPath("$.length()").isEqualTo(30);
			assertThat(this.ledger.recentlySubmitted()).isZero();
		});

		// Jobs never read again leave when their time is up
		String other = uniqueUser();
		for (int i = 0; i < 30; i++) {
			submit(other);
		}
		assertThat(this.ledger.recentlySubmitted()).isGreaterThanOrEqualTo(1);
		await().atMost(PATIENCE).untilAsserted(() -> {
			get(owner, "no-such-job").expectStatus().isNotFound();
			assertThat(this.ledger.recentlySubmitted()).isZero();
		});
	}

	private WebTestClient.ResponseSpec get(String owner, String id) {
		return this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token(owner))).exchange();
	}

	private String submit(String owner) {
		return ApiRequests.submit(this.http, token(owner), ApiRequests.A_JOB);
	}

	/** The value of the last record of {@code jobId} in inloop.jobs; null for a tombstone. */
	private byte[] lastValueOf(String jobId) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(Topics.JOBS));
			await().atMost(PATIENCE).untilAsserted(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (record.key().equals(jobId)) {
						found.add(record);
					}
				});
				assertThat(found).isNotEmpty();
			});
			consumer.poll(Duration.ofMillis(500)).forEach((record) -> {
				if (record.key().equals(jobId)) {
					found.add(record);
				}
			});
		}
		return found.get(found.size() - 1).value();
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

	private static String uniqueUser() {
		return "user-" + UUID.randomUUID();
	}

}
