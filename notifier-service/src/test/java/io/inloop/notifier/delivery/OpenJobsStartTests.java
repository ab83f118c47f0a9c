package io.inloop.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.inloop.history.Cursor;
import io.inloop.notifier.StatusTopic;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.inloop.notifier.StatusTopic.aSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A notifier's start against a long history: the jobs under way from the ledger's open-jobs topic,
 * then only the tail of each status partition (or from where the ledger stopped, if further back),
 * against the real broker, on topics of their own per test.
 */
class OpenJobsStartTests {

	private static final int TAIL = 50;

	private final String status = "open-jobs-start-status-" + UUID.randomUUID();

	private final String openJobs = "open-jobs-start-open-" + UUID.randomUUID();

	private final Queue<JobFrame> frames = new ConcurrentLinkedQueue<>();

	private final Queue<JobFrame> snapshots = new ConcurrentLinkedQueue<>();

	private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

	private final StatusFeed feed = new StatusFeed(this.status, this.openJobs, OpenJobsStartTests::consumer,
			new JobFrameListener() {

				@Override
				public void on(JobFrame frame) {
					OpenJobsStartTests.this.frames.add(frame);
				}

				@Override
				public void snapshot(JobFrame frame) {
					OpenJobsStartTests.this.snapshots.add(frame);
				}

				@Override
				public void positioned(int partition, int partitions, long offset) {
					OpenJobsStartTests.this.positions.put(partition, offset);
				}

			}, new StatusFeedSettings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofHours(24), TAIL));

	private final AvroSerializer<JobStatusChanged> avro = new AvroSerializer<>(JobStatusChanged.class);

	@AfterEach
	void stopFeed() {
		this.feed.stop();
	}

	@Test
	void startsFromTheJobsUnderWayAndTheTailOfEachPartitionWhateverTheHistory() {
		createTopics(2);
		try (Producer<String, JobStatusChanged> events = StatusTopic.events();
				Producer<String, byte[]> raw = StatusTopic.raw()) {
			RecordMetadata longAgo = sendStatus(events, 0, aSnapshot("alice", "job-open", JobState.QUEUED, 0, 0).build());
			RecordMetadata endedLongAgo = sendStatus(events, 1,
					aSnapshot("alice", "job-done", JobState.QUEUED, 0, 0).build());
			long[] last = writeHistory(events, 1000, 2);
			// A job under way whose events are within the tail: learnt from them, each in order, not from its snapshot
			RecordMetadata recentQueued = sendStatus(events, 0, aSnapshot("alice", "job-recent", JobState.QUEUED, 0, 0).build());
			RecordMetadata recentRunning = sendStatus(events, 0,
					aSnapshot("alice", "job-recent", JobState.RUNNING, 1, 0).build());
			last[0] = recentRunning.offset();
			// As the ledger writes it: job-open still under way; job-done's snapshot, then its tombstone
			sendOpen(raw, "job-open", aSnapshot("alice", "job-open", JobState.QUEUED, 0, 0).build(), longAgo);
			sendOpen(raw, "job-done", aSnapshot("alice", "job-done", JobState.QUEUED, 0, 0).build(), endedLongAgo);
			sendOpen(raw, "job-done", null, new Cursor(1, last[1]));
			sendOpen(raw, "job-recent", aSnapshot("alice", "job-recent", JobState.RUNNING, 1, 0).build(), recentRunning);
			sendOpen(raw, "old-999", null, new Cursor(1, last[1]));

			this.feed.start();
			await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);

			assertThat(this.snapshots).as("the job under way, known though its one event is a thousand records back")
				.singleElement()
				.satisfies((snapshot) -> {
					assertThat(snapshot.jobId()).isEqualTo("job-open");
					assertThat(snapshot.cursor()).isEqualTo(new Cursor(longAgo.partition(), longAgo.offset()));
				});
			assertThat(this.positions).as("each partition read from %d records before its end", TAIL)
				.containsEntry(0, last[0] + 1 - TAIL)
				.containsEntry(1, last[1] + 1 - TAIL);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.frames.size() == 2 * TAIL);
			assertThat(this.frames).extracting(JobFrame::jobId).doesNotContain("job-open", "job-done");
			assertThat(this.frames).filteredOn((frame) -> frame.jobId().equals("job-recent"))
				.as("a job whose events the tail holds comes from them, in order, for the resume window")
				.extracting(JobFrame::cursor)
				.containsExactly(new Cursor(0, recentQueued.offset()), new Cursor(0, recentRunning.offset()));
		}
	}

	@Test
	void readsFromWhereTheLedgerStoppedWhenItIsFurtherBehindThanTheTail() {
		createTopics(1);
		try (Producer<String, JobStatusChanged> events = StatusTopic.events();
				Producer<String, byte[]> raw = StatusTopic.raw()) {
			long[] last = writeHistory(events, 300, 1);
			sendOpen(raw, "old-99", null, new Cursor(0, 99));

			this.feed.start();
			await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);

			assertThat(this.positions).as("from the first status record the ledger had not written").containsEntry(0, 100L);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.frames.size() == (int) last[0] + 1 - 100);
		}
	}

	@Test
	void readsTheWholeHorizonWhenTheOpenJobsTopicWasNeverWritten() {
		createTopics(1);
		try (Producer<String, JobStatusChanged> events = StatusTopic.events()) {
			writeHistory(events, 300, 1);

			this.feed.start();
			await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);

			assertThat(this.positions).as("a ledger older than the notifier: as before").containsEntry(0, 0L);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.frames.size() == 300);
			assertThat(this.snapshots).isEmpty();
		}
	}

	private void createTopics(int partitions) {
		StatusTopic.create(List.of(new NewTopic(this.status, partitions, (short) 1), new NewTopic(this.openJobs, 2, (short) 1)
			.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
	}

	/** {@code count} finished jobs, spread over the partitions; the offset of the last record of each. */
	private long[] writeHistory(Producer<String, JobStatusChanged> events, int count, int partitions) {
		long[] last = new long[partitions];
		for (int i = 0; i < count; i++) {
			RecordMetadata sent = sendStatus(events, i % partitions,
					aSnapshot("old-owner", "old-" + i, JobState.SUCCEEDED, 1, 1).build());
			last[sent.partition()] = Math.max(last[sent.partition()], sent.offset());
		}
		return last;
	}

	private RecordMetadata sendStatus(Producer<String, JobStatusChanged> events, int partition, JobStatusChanged event) {
		try {
			return events.send(new ProducerRecord<>(this.status, partition, event.getOwner(), event)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void sendOpen(Producer<String, byte[]> raw, String jobId, JobStatusChanged snapshot, RecordMetadata from) {
		sendOpen(raw, jobId, snapshot, new Cursor(from.partition(), from.offset()));
	}

	private void sendOpen(Producer<String, byte[]> raw, String jobId, JobStatusChanged snapshot, Cursor from) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(Topics.STATUS_CURSOR_HEADER, from.toString().getBytes(StandardCharsets.UTF_8));
		byte[] value = (snapshot != null) ? this.avro.serialize(this.openJobs, snapshot) : null;
		try {
			raw.send(new ProducerRecord<>(this.openJobs, null, jobId, value, headers)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KafkaConsumer<byte[], byte[]> consumer() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, StatusTopic.brokers(),
				ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new ByteArrayDeserializer(),
				new ByteArrayDeserializer());
	}

}
