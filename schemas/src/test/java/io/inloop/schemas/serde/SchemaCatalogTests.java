package io.inloop.schemas.serde;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.NewerWriter;
import io.inloop.schemas.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static io.inloop.schemas.JobEvents.aSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Writers and readers of different releases, meeting in {@link Topics#SCHEMAS} on the real broker. */
class SchemaCatalogTests {

	/** The newer writer's process and the older reader's process: catalogs of their own. */
	private final SchemaCatalog writers = catalog();

	private final SchemaCatalog readers = catalog();

	@BeforeAll
	static void createSchemasTopic() throws Exception {
		try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
			List<NewTopic> schemas = Topics.definitions(1, (short) 1, Duration.ofDays(1))
				.stream()
				.filter((topic) -> topic.name().equals(Topics.SCHEMAS))
				.toList();
			assertThat(schemas.get(0).configs()).containsEntry("cleanup.policy", "compact");
			admin.createTopics(schemas).all().get();
		}
	}

	@AfterEach
	void close() {
		this.writers.close();
		this.readers.close();
	}

	@Test
	void recordOfANewerWriterIsResolvedWithItsPublishedSchema() {
		NewerWriter newer = NewerWriter.withExtraField().publishTo(this.writers);
		JobStatusChanged event = aSnapshot("job-newer", JobState.RUNNING, 1, 3).build();

		JobStatusChanged read = new AvroDeserializer<>(JobStatusChanged.class, this.readers).deserialize(Topics.JOB_STATUS,
				newer.write(event));

		assertThat(read).as("the extra field is ignored, the rest is the event").isEqualTo(event);
	}

	@Test
	void serializerPublishesItsSchemaBeforeItsFirstRecord() {
		JobStatusChanged event = aSnapshot("job-current", JobState.QUEUED, 0, 0).build();

		new AvroSerializer<>(JobStatusChanged.class, this.writers).serialize(Topics.JOB_STATUS, event);

		assertThat(this.readers.find(SchemaCatalog.fingerprint(JobStatusChanged.getClassSchema())))
			.isEqualTo(JobStatusChanged.getClassSchema());
	}

	@Test
	void recordWhoseSchemaIsNowhereHoldsUntilItIsPublished() {
		NewerWriter newer = NewerWriter.withExtraField("field" + UUID.randomUUID().toString().replace("-", ""));
		JobStatusChanged event = aSnapshot("job-held", JobState.RUNNING, 1, 0).build();
		byte[] record = newer.write(event);
		AvroDeserializer<JobStatusChanged> deserializer = new AvroDeserializer<>(JobStatusChanged.class, this.readers);
		assertThatExceptionOfType(NewerSchemaException.class)
			.isThrownBy(() -> deserializer.deserialize(Topics.JOB_STATUS, record))
			.withMessageContaining(SchemaCatalog.key(newer.fingerprint()))
			.withMessageContaining("not published in inloop.schemas")
			.satisfies((ex) -> assertThat(ex.fingerprint()).isEqualTo(newer.fingerprint()));

		SchemaHolds holds = new SchemaHolds();
		AtomicReference<JobStatusChanged> read = new AtomicReference<>();
		Thread reader = new Thread(() -> read.set(holds.untilReadable("status-reader", "inloop.job-status-0@7",
				() -> deserializer.deserialize(Topics.JOB_STATUS, record), () -> false)));
		reader.start();
		await().until(() -> !holds.isEmpty());
		assertThat(holds.current().get("status-reader").record()).isEqualTo("inloop.job-status-0@7");
		assertThat(holds.current().get("status-reader").reason()).contains(SchemaCatalog.key(newer.fingerprint()));

		newer.publishTo(this.writers);

		await().atMost(Duration.ofSeconds(20)).until(() -> read.get() != null);
		assertThat(read.get()).isEqualTo(event);
		assertThat(holds.isEmpty()).isTrue();
	}

	@Test
	void newerSchemaThatCannotBeResolvedHoldsInsteadOfFailingAsPoison() {
		NewerWriter newer = NewerWriter.withNewState().publishTo(this.writers);
		AvroDeserializer<JobStatusChanged> deserializer = new AvroDeserializer<>(JobStatusChanged.class, this.readers);

		assertThatExceptionOfType(NewerSchemaException.class)
			.isThrownBy(() -> deserializer.deserialize(Topics.JOB_STATUS,
					newer.write(aSnapshot("job-paused", JobState.RUNNING, 1, 0).build())))
			.withMessageContaining("cannot resolve")
			.withMessageContaining("PAUSED");
	}

	@Test
	void holdEndsWhenItsReaderStops() {
		NewerWriter newer = NewerWriter.withExtraField("field" + UUID.randomUUID().toString().replace("-", ""));
		byte[] record = newer.write(aSnapshot("job-stopped", JobState.RUNNING, 1, 0).build());
		AvroDeserializer<JobStatusChanged> deserializer = new AvroDeserializer<>(JobStatusChanged.class, this.readers);
		AtomicBoolean stopping = new AtomicBoolean();
		AtomicBoolean returned = new AtomicBoolean();
		SchemaHolds holds = new SchemaHolds();
		Thread reader = new Thread(() -> {
			holds.untilReadable("reader", "somewhere", () -> deserializer.deserialize(Topics.JOB_STATUS, record),
					stopping::get);
			returned.set(true);
		});
		reader.start();
		await().until(() -> !holds.isEmpty());

		stopping.set(true);

		await().atMost(Duration.ofSeconds(10)).untilTrue(returned);
	}

	private static SchemaCatalog catalog() {
		Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers());
		return new SchemaCatalog(client, client, Duration.ofSeconds(2));
	}

	private static String brokers() {
		return System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
	}

}
