package io.inloop.cli.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.inloop.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class LocalBrokerTests {

	@TempDir
	Path dataDir;

	@Test
	void keepsTopicsAndRecordsAcrossRestarts() throws Exception {
		Path kafkaDir = this.dataDir.resolve("kafka");
		try (LocalBroker broker = LocalBroker.start(kafkaDir, freePort(), freePort())) {
			assertThat(InloopTopics.create(broker.bootstrapServers(), 2))
				.hasSize(Topics.definitions(2, (short) 1, Duration.ofDays(7)).size())
				.contains(Topics.JOB_STATUS, Topics.JOB_RETRIES);
			assertThat(shareVersion(broker.bootstrapServers())).as("share groups are on").isGreaterThanOrEqualTo((short) 1);
			send(broker.bootstrapServers(), new ProducerRecord<>(Topics.JOB_STATUS, 0, "alice", "queued"));
		}
		assertThat(kafkaDir.resolve("meta.properties")).exists();
		try (LocalBroker broker = LocalBroker.start(kafkaDir, freePort(), freePort())) {
			assertThat(InloopTopics.create(broker.bootstrapServers(), 2)).isEmpty();
			List<ConsumerRecord<String, String>> records = readAll(broker.bootstrapServers(),
					new TopicPartition(Topics.JOB_STATUS, 0), 1);
			assertThat(records).singleElement().satisfies((record) -> {
				assertThat(record.key()).isEqualTo("alice");
				assertThat(record.value()).isEqualTo("queued");
			});
		}
	}

	@Test
	void refusesASecondBrokerOnTheSamePortOrFolder() throws Exception {
		Path kafkaDir = this.dataDir.resolve("kafka");
		int port = freePort();
		try (LocalBroker broker = LocalBroker.start(kafkaDir, port, freePort())) {
			assertThatIllegalStateException().isThrownBy(() -> LocalBroker.start(this.dataDir.resolve("other"), port, freePort()))
				.withMessage("Port " + port + " for Kafka is in use: is inloop (or another Kafka) already running?");
			assertThatIllegalStateException().isThrownBy(() -> LocalBroker.start(kafkaDir, freePort(), freePort()))
				.withMessageContaining("is in use by another broker");
		}
	}

	private static void send(String bootstrapServers, ProducerRecord<String, String> record) throws Exception {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new StringSerializer())) {
			producer.send(record).get();
		}
	}

	private static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, TopicPartition partition,
			int expected) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringDeserializer(),
				new StringDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= expected;
			});
		}
		return records;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static short shareVersion(String bootstrapServers) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			return admin.describeFeatures().featureMetadata().get().finalizedFeatures().get(Features.SHARE_VERSION)
				.maxVersionLevel();
		}
	}

}
