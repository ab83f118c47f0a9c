package io.inloop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.inloop.cli.broker.LocalBroker;
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
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * One real broker ({@link LocalBroker}) for every test class that extends with this, started once
 * and stopped at the end of the run; tests keep apart by using topics of their own.
 */
public final class TestKafka implements BeforeAllCallback {

	private static final AtomicInteger topics = new AtomicInteger();

	private static volatile LocalBroker broker;

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		synchronized (TestKafka.class) {
			if (broker == null) {
				Path dir = Files.createTempDirectory("inloop-cli-kafka");
				broker = LocalBroker.start(dir.resolve("kafka"), freePort(), freePort());
				context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(TestKafka.class.getName(),
						(AutoCloseable) () -> broker.stop());
			}
		}
	}

	public static String bootstrapServers() {
		return broker.bootstrapServers();
	}

	/** A new topic with a name no other test uses. */
	public static String createTopic(String prefix, int partitions) {
		String name = prefix + "-" + topics.incrementAndGet();
		createTopicNamed(name, partitions);
		return name;
	}

	public static void createTopicNamed(String name, int partitions) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static void send(List<ProducerRecord<byte[], byte[]>> records) {
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (ProducerRecord<byte[], byte[]> record : records) {
				producer.send(record).get();
			}
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Every record of {@code topic}, partition by partition, waiting until there are {@code expected}. */
	public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				return records.size() >= expected;
			});
			// Nothing more than expected: one more short poll must bring nothing.
			consumer.poll(Duration.ofMillis(300)).forEach(records::add);
		}
		records.sort(java.util.Comparator.comparingInt(ConsumerRecord<byte[], byte[]>::partition)
			.thenComparingLong(ConsumerRecord::offset));
		return records;
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
