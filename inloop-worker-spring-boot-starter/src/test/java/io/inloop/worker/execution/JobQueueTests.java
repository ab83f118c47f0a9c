package io.inloop.worker.execution;

import org.junit.jupiter.api.Test;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;

class JobQueueTests {

	@Test
	void slotsReachTheClusterWithTheApplicationsSecuritySettingsButNoOtherConsumerSettings() {
		KafkaProperties kafka = new KafkaProperties();
		kafka.getSecurity().setProtocol("SASL_SSL");
		kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
		kafka.getProperties().put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
		kafka.getSsl().setTrustStoreType("PKCS12");
		kafka.getConsumer().setAutoOffsetReset("latest");
		kafka.getConsumer().setEnableAutoCommit(true);

		assertThat(JobQueue.connectionSettings(kafka)).containsEntry("security.protocol", "SASL_SSL")
			.containsEntry("sasl.mechanism", "SCRAM-SHA-512")
			.containsKey("sasl.jaas.config")
			.containsEntry("ssl.truststore.type", "PKCS12")
			.doesNotContainKeys("auto.offset.reset", "enable.auto.commit", "group.id");
	}

}
