package io.inloop.worker.execution;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import io.inloop.worker.WorkerTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@WorkerTest
class WorkerProducerTests {

	@Autowired
	WorkerProducer producer;

	@Autowired
	KafkaTemplate<?, ?> bootTemplate;

	@Test
	void writesDurablyOnceAndAtOnce() {
		assertThat(this.producer.configuration()).extractingByKeys(ProducerConfig.ACKS_CONFIG,
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.LINGER_MS_CONFIG,
				ProducerConfig.COMPRESSION_TYPE_CONFIG)
			.map(String::valueOf)
			.containsExactly("all", "true", "0", "none");
	}

	@Test
	void leavesTheAppsOwnKafkaTemplateAlone() {
		assertThat(this.producer.template()).isNotSameAs(this.bootTemplate);
	}

}
