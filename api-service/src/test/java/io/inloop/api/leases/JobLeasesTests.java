package io.inloop.api.leases;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import io.inloop.api.ApiRequests;
import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job whose worker goes silent after its attempt started (a killed worker, a machine gone): the
 * ledger reports it STALLED, and once it stays silent past the grace, queues its next attempt once
 * and fences the silent one; with no attempt left the job fails ({@code worker-lost}) and its command
 * is dead-lettered. No worker runs here: the test writes what a worker would, through a real broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "inloop.ledger.stall-after=1s", "inloop.ledger.requeue-after=1s" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class JobLeasesTests {

	private static final Duration WITHIN = Duration.ofSeconds(30);

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	private KafkaProducer<String, byte[]> producer;

	@BeforeEach
	void connect() {
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers,
				ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
		ApiRequests.awaitReady(this.http);
	}

	@AfterEach
	void close() {
		this.producer.close();
	}

	@Test
	void aSilentAttemptLosesItsLeaseItsNextAttemptIsQueuedOnceAndTheLastOneFailsTheJob() {
		String owner = "leased-" + UUID.randomUUID();
		String token = this.tokens.sign(owner, Duration.ofMinutes(5), List.of());
		String jobId = ApiRequests.submit(this.http, token, "{\"type\":\"demo.steps\",\"maxAttempts\":2}");
		SubmitJob submitted = commandsOf(jobId).get(0);
		assertThat(submitted.getAttempt()).isEqualTo(1);

		// A worker starts attempt 1 and dies
		write(JobSnapshots.firstOf(submitted, 1, JobState.RUNNING, now()).build());

		JobStatusChanged fence = await().atMost(WITHIN).until(() -> last(statusOf(owner, jobId)),
				(latest) -> latest != null && latest.getState() == JobState.RETRYING);
		assertThat(fence.getAttempt()).isEqualTo(1);
		assertThat(fence.getSequence()).isEqualTo(JobLifecycle.LAST_SEQUENCE);
		assertThat(fence.getError().getCode()).isEqualTo("worker-lost");
		assertThat(statusOf(owner, jobId)).extracting(JobStatusChanged::getState)
			.containsSubsequence(JobState.QUEUED, JobState.RUNNING, JobState.STALLED, JobState.RETRYING);
		List<SubmitJob> commands = await().atMost(WITHIN).until(() -> commandsOf(jobId), (found) -> found.size() == 2);
		assertThat(commands.get(1)).satisfies((next) -> {
			assertThat(next.getAttempt()).isEqualTo(2);
			assertThat(next.getPayload()).isEqualTo(submitted.getPayload());
			assertThat(next.getNotBefore()).isNull();
		});
		assertThat(await().atMost(WITHIN).until(() -> fencesOf(jobId), (found) -> !found.isEmpty()))
			.singleElement()
			.satisfies((control) -> assertThat(control.getFencedAttempt()).isEqualTo(1));

		// What the silent attempt still writes reaches nobody; the next attempt starts and dies too
		write(JobStatusChanged.newBuilder(JobSnapshots.firstOf(submitted, 1, JobState.RUNNING, now()).build())
			.setSequence(7).build());
		write(JobSnapshots.firstOf(commands.get(1), 2, JobState.RUNNING, now()).build());

		JobStatusChanged failed = await().atMost(WITHIN).until(() -> last(statusOf(owner, jobId)),
				(latest) -> latest != null && latest.getState() == JobState.FAILED);
		assertThat(failed.getAttempt()).isEqualTo(2);
		assertThat(failed.getError().getCode()).isEqualTo("worker-lost");
		assertThat(commandsOf(jobId)).as("no third attempt").hasSize(2);
		ConsumerRecord<byte[], byte[]> deadLetter = await().atMost(WITHIN)
			.until(() -> read(Topics.deadLetter(Topics.JOB_COMMANDS), jobId), (found) -> !found.isEmpty())
			.get(0);
		assertThat(new String(deadLetter.headers().lastHeader(Topics.ERROR_CODE_HEADER).value(), StandardCharsets.UTF_8))
			.isEqualTo("worker-lost");
		await().atMost(WITHIN).untilAsserted(() -> assertThat(this.http.get().uri("/api/jobs/" + jobId)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus().isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()).containsEntry("state", "FAILED"));
		List<JobState> states = statusOf(owner, jobId).stream().map(JobStatusChanged::getState).toList();
		assertThat(states).as("one fence per lease lost").containsOnlyOnce(JobState.RETRYING);
	}

	@Test
	void theOwnerHearsTheFenceBeforeTheNextAttemptCanStart() {
		String owner = "fenced-first-" + UUID.randomUUID();
		String token = this.tokens.sign(owner, Duration.ofMinutes(5), List.of());
		String jobId = ApiRequests.submit(this.http, token, "{\"type\":\"demo.steps\",\"maxAttempts\":3}");
		SubmitJob submitted = commandsOf(jobId).get(0);
		write(JobSnapshots.firstOf(submitted, 1, JobState.RUNNING, now()).build());

		ConsumerRecord<byte[], byte[]> next = await().atMost(WITHIN)
			.until(() -> read(Topics.JOB_COMMANDS, jobId), (found) -> found.size() == 2)
			.get(1);
		// Whatever the next attempt's worker writes comes after this on the owner's partition
		ConsumerRecord<byte[], byte[]> fence = read(Topics.JOB_STATUS, owner).stream()
			.filter((record) -> avroStatus(record).getJobId().equals(jobId)
					&& avroStatus(record).getState() == JobState.RETRYING)
			.findFirst()
			.orElseThrow(() -> new AssertionError("the fence was not written before attempt 2's command"));
		assertThat(fence.timestamp()).isLessThanOrEqualTo(next.timestamp());
	}

	@Test
	void aFenceWhoseNextAttemptWasNeverWrittenGetsItOnce() {
		String owner = "half-fenced-" + UUID.randomUUID();
		String token = this.tokens.sign(owner, Duration.ofMinutes(5), List.of());
		String jobId = ApiRequests.submit(this.http, token, "{\"type\":\"demo.steps\",\"maxAttempts\":3}");
		SubmitJob submitted = commandsOf(jobId).get(0);
		JobStatusChanged running = JobSnapshots.firstOf(submitted, 1, JobState.RUNNING, now()).build();
		// As if the instance that ended the lease stopped after its fence, before the next command
		write(JobSnapshots.leaseLost(running, true, "The worker stopped responding; attempt 2 is queued", now()));

		List<SubmitJob> commands = await().atMost(WITHIN).until(() -> commandsOf(jobId), (found) -> found.size() == 2);
		assertThat(commands.get(1).getAttempt()).isEqualTo(2);
		assertThat(commands.get(1).getPayload()).isEqualTo(submitted.getPayload());
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(commandsOf(jobId)).as("written once").hasSize(2));
	}

	private static JobStatusChanged avroStatus(ConsumerRecord<byte[], byte[]> record) {
		return new AvroDeserializer<>(JobStatusChanged.class).deserialize(Topics.JOB_STATUS, record.value());
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	private void write(JobStatusChanged snapshot) {
		try {
			this.producer.send(new ProducerRecord<>(Topics.JOB_STATUS, snapshot.getOwner(),
					new AvroSerializer<>(JobStatusChanged.class).serialize(Topics.JOB_STATUS, snapshot))).get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static JobStatusChanged last(List<JobStatusChanged> events) {
		return events.isEmpty() ? null : events.get(events.size() - 1);
	}

	private List<JobStatusChanged> statusOf(String owner, String jobId) {
		AvroDeserializer<JobStatusChanged> avro = new AvroDeserializer<>(JobStatusChanged.class);
		return read(Topics.JOB_STATUS, owner).stream()
			.map((record) -> avro.deserialize(Topics.JOB_STATUS, record.value()))
			.filter((event) -> event.getJobId().equals(jobId))
			.toList();
	}

	private List<SubmitJob> commandsOf(String jobId) {
		AvroDeserializer<SubmitJob> avro = new AvroDeserializer<>(SubmitJob.class);
		return read(Topics.JOB_COMMANDS, jobId).stream()
			.map((record) -> avro.deserialize(Topics.JOB_COMMANDS, record.value()))
			.toList();
	}

	private List<CancelJob> fencesOf(String jobId) {
		AvroDeserializer<CancelJob> avro = new AvroDeserializer<>(CancelJob.class);
		return read(Topics.JOB_CONTROL, jobId).stream()
			.map((record) -> avro.deserialize(Topics.JOB_CONTROL, record.value()))
			.toList();
	}

	/** Every record of {@code topic} with {@code key}, from the beginning. */
	private List<ConsumerRecord<byte[], byte[]>> read(String topic, String key) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.brokers), new StringDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
			Instant deadline = Instant.now().plusSeconds(10);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))
					&& Instant.now().isBefore(deadline)) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (key.equals(record.key())) {
						found.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
								record.timestampType(), 0, 0, record.key().getBytes(StandardCharsets.UTF_8), record.value(),
								record.headers(), record.leaderEpoch(), record.deliveryCount()));
					}
				}
			}
			return found;
		}
	}

}
