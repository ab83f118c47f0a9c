package io.inloop.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.inloop.schemas.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Topics#SCHEMAS} topic, compacted and keyed by fingerprint: a writer publishes every
 * schema it writes there before the first record with it ({@link AvroSerializer}), and a reader
 * looks up the writer schema of a record it does not know ({@link AvroDeserializer}), so a reader
 * older than the writer resolves the record to its own schema instead of losing it.
 */
public final class SchemaCatalog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SchemaCatalog.class);

	/** How long one look-up of an unknown fingerprint reads the topic at most, unless told otherwise. */
	public static final Duration LOOKUP_WAIT = Duration.ofSeconds(2);

	private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration POLL = Duration.ofMillis(100);

	private final Map<String, Object> producerConfig;

	private final Map<String, Object> consumerConfig;

	private final Duration lookupWait;

	private final Set<Long> published = ConcurrentHashMap.newKeySet();

	private final Map<Long, Schema> known = new ConcurrentHashMap<>();

	private final Object publishing = new Object();

	private final Object lookingUp = new Object();

	private @Nullable Producer<byte[], byte[]> producer;

	private @Nullable Consumer<byte[], byte[]> consumer;

	private volatile boolean closed;

	/** A catalog whose look-ups wait {@link #LOOKUP_WAIT} at most. */
	public SchemaCatalog(Map<String, ?> producerConfig, Map<String, ?> consumerConfig) {
		this(producerConfig, consumerConfig, LOOKUP_WAIT);
	}

	/**
	 * @param producerConfig the service's producer settings (connection, security)
	 * @param consumerConfig the service's consumer settings (connection, security); no group is joined
	 * @param lookupWait how long one look-up of an unknown fingerprint may read the topic
	 */
	public SchemaCatalog(Map<String, ?> producerConfig, Map<String, ?> consumerConfig, Duration lookupWait) {
		this.producerConfig = new HashMap<>(producerConfig);
		this.producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
		this.producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		this.producerConfig.computeIfPresent(CommonClientConfigs.CLIENT_ID_CONFIG, (key, id) -> id + "-schemas");
		this.consumerConfig = new HashMap<>(consumerConfig);
		this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
		this.consumerConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		this.consumerConfig.computeIfPresent(CommonClientConfigs.CLIENT_ID_CONFIG, (key, id) -> id + "-schemas");
		this.lookupWait = lookupWait;
	}

	/** The key of a schema in {@link Topics#SCHEMAS}: its fingerprint as 16 hex digits. */
	public static String key(long fingerprint) {
		return String.format(Locale.ROOT, "%016x", fingerprint);
	}

	public static long fingerprint(Schema schema) {
		return SchemaNormalization.parsingFingerprint64(schema);
	}

	/**
	 * Publishes {@code schema} unless this catalog did already, and waits until every in-sync
	 * replica has it: no record is written with a schema a reader could not find.
	 * @throws SerializationException if it could not be published; nothing should be written with it yet
	 */
	public void publish(Schema schema) {
		long fingerprint = fingerprint(schema);
		if (this.published.contains(fingerprint)) {
			return;
		}
		synchronized (this.publishing) {
			if (this.published.contains(fingerprint)) {
				return;
			}
			try {
				producer().send(new ProducerRecord<>(Topics.SCHEMAS, key(fingerprint).getBytes(StandardCharsets.UTF_8),
						schema.toString().getBytes(StandardCharsets.UTF_8)))
					.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw cannotPublish(schema, fingerprint, ex);
			}
			catch (ExecutionException ex) {
				throw cannotPublish(schema, fingerprint, ex.getCause());
			}
			catch (TimeoutException | KafkaException ex) {
				throw cannotPublish(schema, fingerprint, ex);
			}
			this.known.put(fingerprint, schema);
			this.published.add(fingerprint);
			logger.info("Published schema {} of {} to {}", key(fingerprint), schema.getFullName(), Topics.SCHEMAS);
		}
	}

	/**
	 * The published schema with {@code fingerprint}; when it is not known yet, reads what was
	 * published since the last look-up, for {@code lookupWait} at most.
	 * @return the schema, or {@code null} if it has not been published (or the topic cannot be read now)
	 */
	public @Nullable Schema find(long fingerprint) {
		Schema schema = this.known.get(fingerprint);
		if (schema != null || this.closed) {
			return schema;
		}
		synchronized (this.lookingUp) {
			schema = this.known.get(fingerprint);
			if (schema == null) {
				try {
					readToEnd();
				}
				catch (KafkaException ex) {
					logger.warn("Cannot read {} to look up schema {}: {}", Topics.SCHEMAS, key(fingerprint),
							ex.getMessage());
				}
				schema = this.known.get(fingerprint);
			}
			return schema;
		}
	}

	@Override
	public void close() {
		this.closed = true;
		synchronized (this.publishing) {
			if (this.producer != null) {
				this.producer.close(Duration.ofSeconds(5));
			}
		}
		synchronized (this.lookingUp) {
			if (this.consumer != null) {
				this.consumer.close(Duration.ofSeconds(5));
			}
		}
	}

	private Producer<byte[], byte[]> producer() {
		Producer<byte[], byte[]> current = this.producer;
		if (current == null) {
			current = new KafkaProducer<>(this.producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
			this.producer = current;
		}
		return current;
	}

	/** Reads from where the last look-up stopped to the end as it is now, within the look-up wait. */
	private void readToEnd() {
		long deadline = System.nanoTime() + this.lookupWait.toNanos();
		Consumer<byte[], byte[]> reader = this.consumer;
		if (reader == null) {
			reader = new KafkaConsumer<>(this.consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
			this.consumer = reader;
		}
		if (reader.assignment().isEmpty()) {
			List<PartitionInfo> partitions = reader.partitionsFor(Topics.SCHEMAS, this.lookupWait);
			if (partitions == null || partitions.isEmpty()) {
				logger.warn("Topic {} does not exist: no schema can be looked up", Topics.SCHEMAS);
				return;
			}
			List<TopicPartition> assigned = partitions.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			reader.assign(assigned);
			reader.seekToBeginning(assigned);
		}
		Map<TopicPartition, Long> ends = reader.endOffsets(reader.assignment(), this.lookupWait);
		while (!reachedAll(reader, ends) && System.nanoTime() < deadline) {
			for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
				accept(record);
			}
		}
	}

	private static boolean reachedAll(Consumer<byte[], byte[]> reader, Map<TopicPartition, Long> ends) {
		return ends.entrySet().stream().allMatch((end) -> reader.position(end.getKey()) >= end.getValue());
	}

	private void accept(ConsumerRecord<byte[], byte[]> record) {
		if (record.key() == null || record.value() == null) {
			return;
		}
		String key = new String(record.key(), StandardCharsets.UTF_8);
		try {
			Schema schema = new Schema.Parser().parse(new String(record.value(), StandardCharsets.UTF_8));
			long fingerprint = fingerprint(schema);
			if (!key(fingerprint).equals(key)) {
				logger.warn("Ignoring {} at offset {}: key {} is not the fingerprint of its schema ({})", Topics.SCHEMAS,
						record.offset(), key, key(fingerprint));
				return;
			}
			this.known.putIfAbsent(fingerprint, schema);
		}
		catch (RuntimeException ex) {
			logger.warn("Ignoring {} at offset {}: not a schema: {}", Topics.SCHEMAS, record.offset(), ex.getMessage());
		}
	}

	private static SerializationException cannotPublish(Schema schema, long fingerprint, Throwable cause) {
		return new SerializationException("Cannot publish schema " + key(fingerprint) + " of " + schema.getFullName()
				+ " to " + Topics.SCHEMAS + ", so nothing is written with it yet: " + cause.getMessage(), cause);
	}

}
