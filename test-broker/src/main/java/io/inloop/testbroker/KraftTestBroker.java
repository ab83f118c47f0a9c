package io.inloop.testbroker;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * spring-kafka-test's embedded KRaft broker, on the Kafka 4.3 test kit: spring-kafka-test 4.1 asks
 * the kit for {@code clientProperties()}, which Kafka 4.3 replaced by {@code bootstrapServers()}.
 */
final class KraftTestBroker extends EmbeddedKafkaKraftBroker {

	KraftTestBroker(int partitions) {
		super(1, partitions);
	}

	@Override
	public String getBrokersAsString() {
		return getCluster().bootstrapServers();
	}

}
