package io.inloop.history;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaBroker;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ReadBack} against a real broker: bounded, in order, as fast as asked, and closed when cancelled. */
class ReadBackTests {

	private static final Duration POLL = Duration.ofMillis(100);

	private static Scheduler readers;

	private static KafkaProducer<byte[], byte[]> producer;

	private final List<ClosingConsumer> consumers = new ArrayList<>();

	@BeforeAll
	static void start() {
		readers = Schedulers.newBoundedElastic(2, 16, "read-back-test");
		producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()),
				new ByteArraySerializer(), new ByteArraySerializer());
	}

	@AfterAll
	static void stop() {
		producer.close();
		readers.dispose();
	}

	@Test
	void readsTheRangeInOrderThenCompletes() throws Exception {
		String topic = topicWith(10);
		TopicPartition partition = new TopicPartition(topic, 0);
		StepVerifier.create(ReadBack.of(() -> read(partition, 3, 7), readers, POLL).map(ReadBackTests::value))
			.expectNext("record-3", "record-4", "record-5", "record-6")
			.verifyComplete();
		await().until(() -> this.consumers.get(0).closed.get());
	}

	@Test
	void readsOnlyAsFastAsTheSubscriberAsks() throws Exception {
		String topic = topicWith(10);
		TopicPartition partition = new TopicPartition(topic, 0);
		Flux<ConsumerRecord<byte[], byte[]>> records = ReadBack.of(() -> read(partition, 0, 10), readers, POLL);
		StepVerifier.create(records.map(ReadBackTests::value), 0)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(300))
			.thenRequest(2)
			.expectNext("record-0", "record-1")
			.expectNoEvent(Duration.ofMillis(300))
			.thenRequest(1)
			.expectNext("record-2")
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		await().until(() -> this.consumers.get(0).closed.get());
	}

	@Test
	void cancellingWhileAPollWaitsClosesTheConsumerOnItsOwnThread() throws Exception {
		String topic = topicWith(2);
		TopicPartition partition = new TopicPartition(topic, 0);
		// Up to offset 100 of a partition that holds 2: the read waits in poll for records that do not come.
		StepVerifier.create(ReadBack.of(() -> read(partition, 0, 100), readers, Duration.ofSeconds(30))
			.map(ReadBackTests::value))
			.expectNext("record-0", "record-1")
			.expectNoEvent(Duration.ofMillis(300))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.consumers.get(0).closed.get());
		assertThat(this.consumers.get(0).closedOn.get()).startsWith("read-back-test");
	}

	@Test
	void aReadThatCannotOpenFailsBeforeAnyRecord() {
		StepVerifier.create(ReadBack.of(() -> {
			throw new IllegalStateException("gone");
		}, readers, POLL)).expectErrorMessage("gone").verify(Duration.ofSeconds(5));
	}

	private RangeRead read(TopicPartition partition, long from, long to) {
		ClosingConsumer consumer = new ClosingConsumer();
		this.consumers.add(consumer);
		return new RangeRead(consumer, Map.of(partition, from), Map.of(partition, to), false);
	}

	private static String topicWith(int records) throws Exception {
		String topic = "read-back-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
		}
		for (int i = 0; i < records; i++) {
			producer.send(new ProducerRecord<>(topic, ("record-" + i).getBytes(StandardCharsets.UTF_8))).get();
		}
		return topic;
	}

	private static String value(ConsumerRecord<byte[], byte[]> record) {
		return new String(record.value(), StandardCharsets.UTF_8);
	}

	private static String brokers() {
		return System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
	}

	/** A real consumer that tells when, and on which thread, it was closed. */
	private static final class ClosingConsumer extends KafkaConsumer<byte[], byte[]> {

		final AtomicBoolean closed = new AtomicBoolean();

		final AtomicReference<String> closedOn = new AtomicReference<>("");

		ClosingConsumer() {
			super(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
					false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
		}

		@Override
		public void close() {
			this.closedOn.set(Thread.currentThread().getName());
			this.closed.set(true);
			super.close();
		}

	}

}
