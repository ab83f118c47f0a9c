package io.inloop.api;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producers a submission or a status update goes through send at once (Kafka 4.0 made
 * {@code linger.ms} 5 ms by default, Kafka Streams makes it 100 ms), stay durable, and the
 * ledger's consumer is a static member; checked on the configuration the clients are built from.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class HotPathProducersTests {

	@Autowired
	private KafkaTemplate<String, SpecificRecord> kafka;

	@Autowired
	@org.springframework.beans.factory.annotation.Qualifier(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
	private KafkaStreamsConfiguration streams;

	@Value("${inloop.ledger.membership.instance-id}")
	private String instanceId;

	@Test
	void theApisProducerSendsAtOnceAndWaitsForEveryReplica() {
		Map<String, Object> producer = this.kafka.getProducerFactory().getConfigurationProperties();
		assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, "0")
			.containsEntry(ProducerConfig.ACKS_CONFIG, "all")
			.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
	}

	@Test
	void theLedgersProducerSendsAtOnceAndWaitsForEveryReplica() {
		Map<String, Object> producer = new StreamsConfig(this.streams.asProperties()).getProducerConfigs("ledger");
		assertThat(String.valueOf(producer.get(ProducerConfig.LINGER_MS_CONFIG))).isEqualTo("0");
		assertThat(String.valueOf(producer.get(ProducerConfig.ACKS_CONFIG))).isEqualTo("all");
	}

	@Test
	void theLedgersConsumerIsAStaticMemberOfAClassicGroup() {
		StreamsConfig config = new StreamsConfig(this.streams.asProperties());
		Map<String, Object> consumer = config.getMainConsumerConfigs("inloop-api-ledger", "ledger-consumer", 1);
		assertThat(consumer).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, this.instanceId + "-1");
		assertThat(config.getString(StreamsConfig.GROUP_PROTOCOL_CONFIG)).isEqualTo("classic");
		assertThat(config.getRestoreConsumerConfigs("ledger-restore")).doesNotContainKey(
				ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
	}

}
