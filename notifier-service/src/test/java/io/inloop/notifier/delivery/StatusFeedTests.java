package io.inloop.notifier.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.inloop.history.Cursor;
import io.inloop.notifier.StatusTopic;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.NewerWriter;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The feed against the real broker, on a topic of its own per test. */
class StatusFeedTests {

	private final String topic = "status-feed-tests-" + UUID.randomUUID();

	private final Queue<JobFrame> frames = new ConcurrentLinkedQueue<>();

	private final StatusFeed feed = new StatusFeed(this.topic, StatusFeedTests::consumer, this.frames::add,
			new StatusFeedSettings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ZERO, 4096));

	@AfterEach
	void stopFeed() {
		this.feed.stop();
		assertThat(this.feed.isRunning()).isFalse();
	}

	@Test
	void waitsForTheTopicThenReadsEveryPartition() {
		this.feed.start();
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !this.feed.isAssigned());

		StatusTopic.create(List.of(new NewTopic(this.topic, 3, (short) 1)));

		await().atMost(Duration.ofSeconds(10)).until(this.feed::isAssigned);
		assertThat(this.feed.assignedPartitions()).isEqualTo(3);
	}

	@Test
	void startsAtTheEndAndHandsOnEachEventAsOneFrame() {
		StatusTopic.create(List.of(new NewTopic(this.topic, 2, (short) 1)));
		try (Producer<String, JobStatusChanged> events = StatusTopic.events()) {
			send(events, this.topic, "alice", aSnapshot("alice", "old", JobState.QUEUED, 0, 0).build());
			this.feed.start();
			await().atMost(Duration.ofSeconds(10)).until(this.feed::isAssigned);

			RecordMetadata first = send(events, this.topic, "alice",
					aSnapshot("alice", "job-1", JobState.QUEUED, 0, 0).build());
			RecordMetadata second = send(events, this.topic, "alice",
					aSnapshot("alice", "job-1", JobState.RUNNING, 1, 0).build());

			await().until(() -> this.frames.size() == 2);
			assertThat(this.frames).extracting(JobFrame::cursor)
				.containsExactly(new Cursor(first.partition(), first.offset()),
						new Cursor(second.partition(), second.offset()));
			assertThat(this.frames).extracting(JobFrame::jobId).containsOnly("job-1");
			assertThat(this.frames).extracting(JobFrame::owner).containsOnly("alice");
		}
	}

	@Test
	void skipsWhatItCannotReadAndKeepsGoing() {
		StatusTopic.create(List.of(new NewTopic(this.topic, 1, (short) 1)));
		this.feed.start();
		await().atMost(Duration.ofSeconds(10)).until(this.feed::isAssigned);
		try (Producer<String, byte[]> raw = StatusTopic.raw();
				Producer<String, JobStatusChanged> events = StatusTopic.events()) {
			// A known schema's header and a body cut short: broken, not newer
			byte[] whole = new AvroSerializer<>(JobStatusChanged.class).serialize(this.topic,
					aSnapshot("alice", "job-0", JobState.RUNNING, 1, 0).build());
			send(raw, this.topic, "alice", Arrays.copyOf(whole, 12));
			send(raw, this.topic, "alice", "not avro at all".getBytes());
			send(raw, this.topic, "alice", null);
			RecordMetadata valid = send(events, this.topic, "alice",
					aSnapshot("alice", "job-1", JobState.RUNNING, 1, 0).build());

			await().until(() -> this.frames.size() == 1);
			assertThat(this.frames.peek().cursor()).isEqualTo(new Cursor(valid.partition(), valid.offset()));
			assertThat(this.feed.skippedRecords()).isEqualTo(3);
		}
	}

	@Test
	void recordOfANewerWriterIsDeliveredWithTheSchemaItPublished() {
		StatusTopic.create();
		StatusTopic.create(List.of(new NewTopic(this.topic, 1, (short) 1)));
		try (SchemaCatalog writer = StatusTopic.catalog(); SchemaCatalog reader = StatusTopic.catalog()) {
			StatusFeed upgradeAware = feed(reader, new SchemaHolds());
			upgradeAware.start();
			try (Producer<String, byte[]> raw = StatusTopic.raw()) {
				await().atMost(Duration.ofSeconds(10)).until(upgradeAware::isAssigned);
				NewerWriter newer = NewerWriter.withExtraField().publishTo(writer);

				RecordMetadata sent = send(raw, this.topic, "alice",
						newer.write(aSnapshot("alice", "job-newer", JobState.RUNNING, 1, 0).build()));

				await().until(() -> this.frames.size() == 1);
				assertThat(this.frames.peek().cursor()).isEqualTo(new Cursor(sent.partition(), sent.offset()));
				assertThat(this.frames.peek().jobId()).isEqualTo("job-newer");
				assertThat(upgradeAware.skippedRecords()).isZero();
			}
			finally {
				upgradeAware.stop();
			}
		}
	}

	@Test
	void recordWhoseSchemaIsNowhereHoldsTheFeedUntilItIsPublishedAndNothingIsLost() {
		StatusTopic.create();
		StatusTopic.create(List.of(new NewTopic(this.topic, 1, (short) 1)));
		SchemaHolds holds = new SchemaHolds();
		try (SchemaCatalog writer = StatusTopic.catalog(); SchemaCatalog reader = StatusTopic.catalog()) {
			StatusFeed upgradeAware = feed(reader, holds);
			upgradeAware.start();
			try (Producer<String, byte[]> raw = StatusTopic.raw();
					Producer<String, JobStatusChanged> events = StatusTopic.events()) {
				await().atMost(Duration.ofSeconds(10)).until(upgradeAware::isAssigned);
				NewerWriter unpublished = NewerWriter.withExtraField("f" + UUID.randomUUID().toString().replace("-", ""));

				RecordMetadata newer = send(raw, this.topic, "alice",
						unpublished.write(aSnapshot("alice", "job-1", JobState.RUNNING, 1, 0).build()));
				RecordMetadata after = send(events, this.topic, "alice",
						aSnapshot("alice", "job-1", JobState.SUCCEEDED, 1, 1).build());

				await().until(() -> upgradeAware.hold() != null);
				assertThat(upgradeAware.hold().record()).isEqualTo(this.topic + "-0@" + newer.offset());
				assertThat(upgradeAware.hold().reason()).contains(SchemaCatalog.key(unpublished.fingerprint()));
				await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this.frames::isEmpty);

				unpublished.publishTo(writer);

				await().atMost(Duration.ofSeconds(20)).until(() -> this.frames.size() == 2);
				assertThat(this.frames).extracting(JobFrame::cursor)
					.containsExactly(new Cursor(newer.partition(), newer.offset()),
							new Cursor(after.partition(), after.offset()));
				assertThat(upgradeAware.hold()).isNull();
				assertThat(upgradeAware.skippedRecords()).isZero();
			}
			finally {
				upgradeAware.stop();
			}
		}
	}

	private StatusFeed feed(SchemaCatalog catalog, SchemaHolds holds) {
		return new StatusFeed(this.topic, StatusFeedTests::consumer, this.frames::add,
				new StatusFeedSettings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ZERO, 4096), catalog, holds);
	}

	private static KafkaConsumer<byte[], byte[]> consumer() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, StatusTopic.brokers(),
				ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new ByteArrayDeserializer(),
				new ByteArrayDeserializer());
	}

}
