package io.inloop.worker;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;

import io.inloop.schemas.Topics;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** Creates Inloop's topics before the listener starts, as api-service or the local stack does. */
@TestConfiguration(proxyBeanMethods = false)
public class InloopTopics {

	public static final int PARTITIONS = 3;

	@Bean
	KafkaAdmin.NewTopics inloopTopics() {
		return new KafkaAdmin.NewTopics(
				Topics.definitions(PARTITIONS, (short) 1, Duration.ofDays(7)).toArray(NewTopic[]::new));
	}

}
