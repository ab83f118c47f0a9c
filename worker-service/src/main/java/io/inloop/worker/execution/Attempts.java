package io.inloop.worker.execution;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * Numbers the attempts of a command across retries and worker crashes, with Kafka as the memory.
 * Starting attempt {@code n} of the command at offset {@code o} commits offset {@code o} (not
 * {@code o + 1}: the command stays unfinished) with metadata {@code {"attempt":n}}. Whoever reads
 * the command next, this worker after a retryable failure or another one after a crash, finds
 * that mark and runs attempt {@code n + 1}. The committed offsets are read once per partition
 * assignment, not once per job.
 */
@Component
class Attempts implements ConsumerAwareRebalanceListener {

	private static final Log logger = LogFactory.getLog(Attempts.class);

	private static final Pattern ATTEMPT = Pattern.compile("\"attempt\"\\s*:\\s*(\\d+)");

	/** The latest attempt started per partition: its command's offset, the attempt in the metadata. */
	private final Map<TopicPartition, OffsetAndMetadata> started = new ConcurrentHashMap<>();

	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (partitions.isEmpty()) {
			return;
		}
		consumer.committed(new HashSet<>(partitions)).forEach((partition, committed) -> {
			if (committed != null) {
				this.started.put(partition, committed);
			}
		});
	}

	@Override
	public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		partitions.forEach(this.started::remove);
	}

	@Override
	public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		partitions.forEach(this.started::remove);
	}

	/**
	 * Counts a new attempt of the command and marks it started in Kafka (asynchronously: the mark
	 * is not on the way of the job's latency; a crash before it lands repeats the attempt number).
	 * @return the attempt number, 1 for a command no one has started
	 */
	int start(ConsumerRecord<?, ?> command, Consumer<?, ?> consumer) {
		TopicPartition partition = new TopicPartition(command.topic(), command.partition());
		OffsetAndMetadata previous = this.started.get(partition);
		int attempt = (previous != null && previous.offset() == command.offset()) ? attemptIn(previous) + 1 : 1;
		OffsetAndMetadata mark = new OffsetAndMetadata(command.offset(), metadata(attempt));
		this.started.put(partition, mark);
		consumer.commitAsync(Map.of(partition, mark), (offsets, ex) -> {
			if (ex != null) {
				logger.warn("Could not mark attempt " + attempt + " of " + partition + "@" + command.offset(), ex);
			}
		});
		return attempt;
	}

	static String metadata(int attempt) {
		return "{\"attempt\":" + attempt + "}";
	}

	/** 0 when no attempt was marked, e.g. the offset committed after the previous command finished. */
	static int attemptIn(OffsetAndMetadata committed) {
		String metadata = committed.metadata();
		Matcher matcher = ATTEMPT.matcher((metadata != null) ? metadata : "");
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

}
