package io.inloop.examples.host;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;

import io.inloop.schemas.Topics;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** Inloop's topics, as api-service or the local stack creates them, and one of the host app's own. */
@TestConfiguration(proxyBeanMethods = false)
class InloopTopics {

	static final String HOST_TOPIC = "host.invoices";

	@Bean
	KafkaAdmin.NewTopics inloopTopics() {
		return new KafkaAdmin.NewTopics(Topics.definitions(3, (short) 1, Duration.ofDays(7)).toArray(NewTopic[]::new));
	}

	@Bean
	NewTopic hostTopic() {
		return new NewTopic(HOST_TOPIC, 1, (short) 1);
	}

}
