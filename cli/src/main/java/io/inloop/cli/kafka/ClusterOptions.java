package io.inloop.cli.kafka;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/** The options every Kafka tool takes ({@code @Mixin}), and the clients they configure. */
public final class ClusterOptions {

	/** Exit code when Kafka cannot be used: unreachable, missing topic, failed write. */
	public static final int KAFKA_FAILED = 1;

	@Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "<host:port,...>",
			description = "Kafka cluster to use (default: ${DEFAULT-VALUE}).")
	String bootstrapServers = "localhost:9092";

	@Option(names = "--timeout", defaultValue = "10", paramLabel = "<seconds>",
			description = "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
	int timeoutSeconds = 10;

	@Option(names = "--verbose", description = "Print the detail (stack trace) of a Kafka failure.")
	boolean verbose;

	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	public Duration timeout() {
		return Duration.ofSeconds(this.timeoutSeconds);
	}

	/** A consumer without a group: the tools assign partitions and never commit. */
	public KafkaConsumer<byte[], byte[]> consumer() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				ConsumerConfig.CLIENT_ID_CONFIG, "inloop-cli", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
				ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout().toMillis()),
				new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	/** A producer that keeps the order of what it is given and waits for every replica. */
	public KafkaProducer<byte[], byte[]> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				ProducerConfig.CLIENT_ID_CONFIG, "inloop-cli", ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_BLOCK_MS_CONFIG,
				timeout().toMillis()), new ByteArraySerializer(), new ByteArraySerializer());
	}

	/** Where the schemas of records written by newer releases are looked up ({@code inloop.schemas}). */
	public SchemaCatalog schemas() {
		Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				CommonClientConfigs.CLIENT_ID_CONFIG, "inloop-cli",
				CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout().toMillis());
		return new SchemaCatalog(client, client);
	}

	/**
	 * The partitions of {@code topic}; the first call that needs the cluster, so it says whether
	 * the cluster can be reached at all.
	 * @throws KafkaAccessException if Kafka does not answer in time or has no such topic
	 */
	public List<PartitionInfo> partitions(Consumer<?, ?> consumer, String topic) {
		List<PartitionInfo> partitions;
		try {
			partitions = consumer.partitionsFor(topic, timeout());
		}
		catch (TimeoutException ex) {
			throw KafkaAccessException.unreachable(this.bootstrapServers, timeout(), ex);
		}
		if (partitions == null || partitions.isEmpty()) {
			throw KafkaAccessException.noTopic(topic, this.bootstrapServers);
		}
		return partitions;
	}

	/**
	 * Reports a failure to use Kafka ({@link KafkaAccessException} or any {@link KafkaException})
	 * in one line, with the stack trace only under {@code --verbose}.
	 * @return the exit code
	 */
	public int report(PrintWriter err, RuntimeException failure) {
		err.println("inloop: " + describe(failure));
		if (this.verbose) {
			failure.printStackTrace(err);
		}
		else {
			err.println("(--verbose shows the detail)");
		}
		err.flush();
		return KAFKA_FAILED;
	}

	private String describe(RuntimeException failure) {
		if (failure instanceof KafkaAccessException) {
			return failure.getMessage();
		}
		// The client wraps the useful part, e.g. "No resolvable bootstrap urls", in "Failed to construct...".
		Throwable innermost = failure;
		while (innermost.getCause() != null && innermost.getCause() != innermost) {
			innermost = innermost.getCause();
		}
		String detail = (innermost.getMessage() != null) ? innermost.getMessage() : innermost.getClass().getSimpleName();
		return "Kafka at " + this.bootstrapServers + " failed: " + detail;
	}

}
