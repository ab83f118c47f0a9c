package io.inloop.system;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker the system runs against: spring-kafka-test's embedded KRaft broker (default), or,
 * with {@code -Ptestcontainers}, Kafka in a container, skipping loudly where no Docker engine runs.
 */
final class TestBroker {

	static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

	private TestBroker() {
	}

	static String bootstrapServers() {
		if ("testcontainers".equals(System.getProperty("inloop.test.kafka"))) {
			return container();
		}
		String brokers = System.getProperty("spring.embedded.kafka.brokers");
		if (brokers == null) {
			throw new IllegalStateException("No embedded broker: is junit-platform.properties on the classpath?");
		}
		return brokers;
	}

	private static String container() {
		boolean docker = DockerClientFactory.instance().isDockerAvailable();
		if (!docker) {
			System.err.println("""
					*****************************************************************************
					* SKIPPED: -Ptestcontainers needs a Docker engine and none is reachable here. *
					* The default build (./mvnw -B verify) runs the same suite on the embedded  *
					* KRaft broker instead.                                                       *
					*****************************************************************************""");
		}
		Assumptions.assumeTrue(docker, "No Docker engine: the Testcontainers profile is skipped");
		KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
		kafka.start();
		Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
		return kafka.getBootstrapServers();
	}

}
