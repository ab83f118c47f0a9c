package io.inloop.worker.execution;

import org.apache.kafka.clients.admin.Admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** One Admin client for the worker's health check, its share group's settings and its queue gauge. */
@Configuration(proxyBeanMethods = false)
class WorkerAdmin {

	// KafkaAdmin opens a client per operation; these callers ask every few seconds (closed with the context)
	@Bean
	Admin kafkaAdminClient(KafkaAdmin kafkaAdmin) {
		return Admin.create(kafkaAdmin.getConfigurationProperties());
	}

}
