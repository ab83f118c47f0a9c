package io.inloop.worker;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionFactory;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.worker.KafkaTestClient.TopicReader;

import static org.awaitility.Awaitility.await;

/** The status topic as an owner's client sees it: a job's snapshots, decoded, in order. */
public final class StatusEvents implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final AvroDeserializer<JobStatusChanged> snapshots = new AvroDeserializer<>(JobStatusChanged.class);

	private final TopicReader reader;

	public StatusEvents(KafkaTestClient kafka) {
		this.reader = kafka.reader(Topics.JOB_STATUS);
	}

	/** Polls often: a job takes milliseconds, not the default 100 ms poll interval. */
	public static ConditionFactory eventually() {
		return await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
	}

	/** The job's snapshots read so far. */
	public List<JobStatusChanged> of(SubmitJob command) {
		return this.reader.read(TopicReader.keyed(command.getOwner()))
			.stream()
			.map(this::decode)
			.filter((event) -> event.getJobId().equals(command.getJobId()))
			.toList();
	}

	/** The snapshots of every job of {@code owner} read so far. */
	public List<JobStatusChanged> ofOwner(String owner) {
		return this.reader.read(TopicReader.keyed(owner)).stream().map(this::decode).toList();
	}

	/** The job's snapshots up to and including its terminal one. */
	public List<JobStatusChanged> awaitTerminal(SubmitJob command) {
		return eventually().until(() -> of(command),
				(events) -> events.stream().anyMatch((event) -> JobLifecycle.isTerminal(event.getState())));
	}

	public JobStatusChanged terminalOf(SubmitJob command) {
		List<JobStatusChanged> events = awaitTerminal(command);
		return events.get(events.size() - 1);
	}

	private JobStatusChanged decode(ConsumerRecord<String, byte[]> record) {
		return this.snapshots.deserialize(record.topic(), record.value());
	}

	@Override
	public void close() {
		this.reader.close();
	}

}
