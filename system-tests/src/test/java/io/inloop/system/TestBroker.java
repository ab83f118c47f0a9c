package io.inloop.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.IntStream;

import io.inloop.cli.broker.KafkaNode;
import io.inloop.cli.broker.LocalCluster;
import io.inloop.cli.broker.Quorum;
import io.inloop.testbroker.SharedTestBroker;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker the system runs against: the shared embedded KRaft broker (default); with
 * {@code -Pthree-brokers}, a three-node {@link LocalCluster} (what {@code inloop start --brokers 3}
 * runs), so that every system test runs again on three copies of every partition; or, with
 * {@code -Ptestcontainers}, Kafka in a container, skipping loudly where no Docker engine runs.
 */
final class TestBroker {

	static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

	private TestBroker() {
	}

	private static final String MODE = System.getProperty("inloop.test.kafka", "embedded");

	private static LocalCluster cluster;

	static String bootstrapServers() {
		if ("testcontainers".equals(MODE)) {
			return container();
		}
		if ("three-brokers".equals(MODE)) {
			return cluster().bootstrapServers();
		}
		String brokers = System.getProperty("spring.embedded.kafka.brokers");
		if (brokers == null) {
			throw new IllegalStateException("No embedded broker: is junit-platform.properties on the classpath?");
		}
		return brokers;
	}

	/** Copies of each partition the shared system's topics get. */
	static short replicationFactor() {
		return "three-brokers".equals(MODE) ? (short) 3 : (short) 1;
	}

	/**
	 * Three nodes on free ports with the shared test broker's settings but its single copies
	 * (share-group locks as short as the system's workers use).
	 */
	static LocalCluster startCluster(Path data) {
		Quorum quorum = new Quorum(IntStream.rangeClosed(1, 3)
			.mapToObj((id) -> new KafkaNode(id, InloopSystem.freePort(), InloopSystem.freePort()))
			.toList());
		Properties shared = SharedTestBroker.load("classpath:embedded-broker.properties");
		Properties settings = new Properties();
		shared.stringPropertyNames()
			.stream()
			.filter((name) -> !name.contains("replication.factor") && !name.endsWith("min.isr"))
			.forEach((name) -> settings.setProperty(name, shared.getProperty(name)));
		return LocalCluster.start(quorum, data.resolve("kafka"), data.resolve("logs"), settings, Duration.ofSeconds(90),
				(line) -> {
				});
	}

	private static synchronized LocalCluster cluster() {
		if (cluster == null) {
			try {
				cluster = startCluster(Files.createDirectories(Path.of("target", "three-brokers-" + ProcessHandle.current().pid())));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "kafka-cluster-stop"));
		}
		return cluster;
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
