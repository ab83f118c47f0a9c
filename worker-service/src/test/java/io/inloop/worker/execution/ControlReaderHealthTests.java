package io.inloop.worker.execution;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.Topics;
import io.inloop.worker.WorkerApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The control reader's health against a broker of its own, which goes away. */
class ControlReaderHealthTests {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	@Test
	void controlReaderIsDownWithTheReasonWhenItsBrokerGoesAway() throws Exception {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1) {

			@Override
			public String getBrokersAsString() {
				return getCluster().bootstrapServers();
			}

		};
		broker.afterPropertiesSet();
		try {
			try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
				admin.createTopics(Topics.definitions(1, (short) 1, Duration.ofDays(7))).all().get();
			}
			try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class).run(
					"--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(), "--server.port=0",
					"--inloop.security.jwt.public-key-location=classpath:test-jwt-public.pem",
					"--inloop.worker.queue.auto-startup=false", "--spring.lifecycle.timeout-per-shutdown-phase=5s")) {
				HealthIndicator health = worker.getBean("controlReader", HealthIndicator.class);
				await().atMost(PATIENCE).until(() -> health.health().getStatus().equals(Status.UP));

				broker.destroy();

				await().atMost(PATIENCE).untilAsserted(() -> {
					Health down = health.health();
					assertThat(down.getStatus()).isEqualTo(Status.DOWN);
					assertThat(down.getDetails()).containsEntry("topic", Topics.JOB_CONTROL)
						.hasEntrySatisfying("reason",
								(reason) -> assertThat(reason).asString().startsWith("cannot see the control topic's end"));
				});
			}
		}
		finally {
			broker.destroy();
		}
	}

}
