package io.inloop.history;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaBroker;

import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ReadBacks} against a real broker: admitted within limits, on threads of their own, bounded in size and time. */
class ReadBacksTests {

	private static final Duration POLL = Duration.ofMillis(100);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static KafkaProducer<byte[], byte[]> producer;

	private static String topic;

	private final List<Disposable> held = new ArrayList<>();

	private final CountDownLatch opening = new CountDownLatch(1);

	private ReadBacks readBacks = new ReadBacks(new ReadBackLimits(1, 2, 100, Duration.ofMinutes(1), Duration.ofSeconds(3)),
			"read-backs-test", POLL);

	@BeforeAll
	static void start() throws Exception {
		producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()),
				new ByteArraySerializer(), new ByteArraySerializer());
		topic = "read-backs-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
		}
		for (int i = 0; i < 200; i++) {
			producer.send(new ProducerRecord<>(topic, ("record-" + i).getBytes(StandardCharsets.UTF_8)));
		}
		producer.flush();
	}

	@AfterAll
	static void stop() {
		producer.close();
	}

	@AfterEach
	void release() {
		this.opening.countDown();
		this.held.forEach(Disposable::dispose);
		this.readBacks.close();
	}

	@Test
	void aUserBeyondTheLimitIsRefusedAndAdmittedAgainOnceTheirReadBackEnds() {
		Disposable alices = hold("alice", 0, 10);
		StepVerifier.create(this.readBacks.read("alice", () -> read(0, 10)))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOfSatisfying(ReadBackRefusedException.class,
					(refused) -> {
						assertThat(refused.reason()).isEqualTo(ReadBackRefusedException.Reason.USER_BUSY);
						assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(3));
					}))
			.verify(TIMEOUT);
		StepVerifier.create(this.readBacks.read("bob", () -> read(0, 3)).map(ReadBacksTests::value))
			.expectNext("record-0", "record-1", "record-2")
			.verifyComplete();
		alices.dispose();
		await().until(() -> this.readBacks.underWay() == 0);
		StepVerifier.create(this.readBacks.read("alice", () -> read(5, 6)).map(ReadBacksTests::value))
			.expectNext("record-5")
			.verifyComplete();
	}

	@Test
	void anInstanceAtItsLimitRefusesEveryoneAtOnce() {
		hold("alice", 0, 10);
		hold("bob", 0, 10);
		StepVerifier.create(this.readBacks.read("carol", () -> read(0, 10)))
			.expectErrorSatisfies((error) -> assertThat(((ReadBackRefusedException) error).reason())
				.isEqualTo(ReadBackRefusedException.Reason.INSTANCE_BUSY))
			.verify(Duration.ofSeconds(1));
	}

	@Test
	void aRangeLargerThanAReadBackMaySpanIsRefusedBeforeAnyRecordAndItsConsumerClosed() {
		AtomicBoolean closed = new AtomicBoolean();
		StepVerifier.create(this.readBacks.read("alice", () -> {
			KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
					new ByteArrayDeserializer()) {
				@Override
				public void close() {
					closed.set(true);
					super.close();
				}
			};
			TopicPartition partition = new TopicPartition(topic, 0);
			return new RangeRead(consumer, Map.of(partition, 0L), Map.of(partition, 101L), false);
		}))
			.expectErrorSatisfies((error) -> assertThat(((ReadBackRefusedException) error).reason())
				.isEqualTo(ReadBackRefusedException.Reason.TOO_LARGE))
			.verify(TIMEOUT);
		assertThat(closed).isTrue();
		assertThat(this.readBacks.underWay()).isZero();
	}

	@Test
	void aReadBackThatTakesLongerThanAllowedFailsAndLetsGo() {
		this.readBacks.close();
		this.readBacks = new ReadBacks(new ReadBackLimits(1, 2, 100, Duration.ofSeconds(3), Duration.ofSeconds(3)),
				"read-backs-test", POLL);
		StepVerifier.create(this.readBacks.read("alice", () -> read(0, 10)).map(ReadBacksTests::value), 1)
			.expectNext("record-0")
			.expectErrorSatisfies((error) -> assertThat(((ReadBackRefusedException) error).reason())
				.isEqualTo(ReadBackRefusedException.Reason.TOO_LONG))
			.verify(TIMEOUT);
		assertThat(this.readBacks.underWay()).isZero();
	}

	@Test
	void otherWorkNeverWaitsBehindReadBacksEvenWhenEveryReadBackThreadIsBusy() throws Exception {
		// Both read-backs block in opening (a slow broker), each holding a read-back thread.
		List<String> openedOn = java.util.Collections.synchronizedList(new ArrayList<>());
		for (String user : List.of("alice", "bob")) {
			this.held.add(this.readBacks.read(user, () -> {
				openedOn.add(Thread.currentThread().getName());
				this.opening.await(30, TimeUnit.SECONDS);
				return read(0, 10);
			}).subscribe());
		}
		await().until(() -> openedOn.size() == 2);
		assertThat(openedOn).allSatisfy((thread) -> assertThat(thread).startsWith("read-backs-test"));
		// A job read, say, on Reactor's shared blocking pool: answered at once.
		long started = System.nanoTime();
		String answered = Mono.fromCallable(() -> Thread.currentThread().getName())
			.subscribeOn(Schedulers.boundedElastic())
			.block(TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
		assertThat(answered).doesNotStartWith("read-backs-test");
		// And a third read-back is refused at once rather than queued behind them.
		StepVerifier.create(this.readBacks.read("carol", () -> read(0, 10)))
			.expectError(ReadBackRefusedException.class)
			.verify(Duration.ofMillis(500));
	}

	/** A read-back of {@code user} that is under way but asks for nothing: it holds its place until disposed. */
	private Disposable hold(String user, long from, long to) {
		BaseSubscriber<ConsumerRecord<byte[], byte[]>> idle = new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
				// No demand.
			}
		};
		Flux<ConsumerRecord<byte[], byte[]>> read = this.readBacks.read(user, () -> read(from, to));
		read.subscribe(idle);
		this.held.add(idle);
		return idle;
	}

	private RangeRead read(long from, long to) {
		KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
				new ByteArrayDeserializer());
		TopicPartition partition = new TopicPartition(topic, 0);
		return new RangeRead(consumer, Map.of(partition, from), Map.of(partition, to), false);
	}

	private static String value(ConsumerRecord<byte[], byte[]> record) {
		return new String(record.value(), StandardCharsets.UTF_8);
	}

	private static Map<String, Object> consumerConfig() {
		return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
	}

	private static String brokers() {
		return System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
	}

}
