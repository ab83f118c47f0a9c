package io.inloop.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.inloop.cli.process.InloopHome;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml can only be validated here, not run (no Docker engine): so check that it
 * matches the services it deploys — names, ports, health checks, Kafka address and images.
 */
class DeploymentDescriptorTests {

	private static final Path HOME = InloopHome.locate();

	private static final Map<String, List<String>> INSTANCES = Map.of("api-service", List.of("api-service"),
			"worker-service", List.of("worker-service-1", "worker-service-2"), "notifier-service",
			List.of("notifier-service-1", "notifier-service-2"));

	@Test
	void composeRunsEveryServiceWithTwoWorkersAndTwoNotifiersAndKafka() throws IOException {
		assertThat(services().keySet()).containsExactlyInAnyOrder("kafka-1", "kafka-2", "kafka-3", "api-service", "worker-service-1",
				"worker-service-2", "notifier-service-1", "notifier-service-2");
	}

	@Test
	void everyContainerListensWhereItsServiceIsConfiguredToAndIsHealthCheckedThere() throws IOException {
		for (Map.Entry<String, List<String>> service : INSTANCES.entrySet()) {
			int port = serverPort(service.getKey());
			for (String instance : service.getValue()) {
				Map<String, Object> container = services().get(instance);
				assertThat(containerPorts(container)).as("%s publishes %s's port", instance, service.getKey())
					.contains(port);
				assertThat(String.valueOf(map(container, "healthcheck").get("test")))
					.contains("http://localhost:" + port + "/actuator/health/readiness");
				assertThat(String.valueOf(map(container, "build").get("context"))).endsWith(service.getKey());
				assertThat(environment(container)).containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092,kafka-3:9092")
					.containsEntry("INLOOP_SECURITY_JWT_PUBLIC_KEY_LOCATION", "file:/run/secrets/jwt-public-key");
			}
			String dockerfile = Files.readString(HOME.resolve(service.getKey()).resolve("Dockerfile"));
			assertThat(dockerfile).contains("COPY target/" + service.getKey() + "-")
				.containsPattern("EXPOSE " + port + "\\b")
				.contains("http://localhost:" + port + "/actuator/health/readiness");
		}
	}

	@Test
	void noContainerHoldsAKeyThatMintsTokensOnlyThePublicKey() throws IOException {
		for (List<String> instances : INSTANCES.values()) {
			for (String instance : instances) {
				Map<String, Object> container = services().get(instance);
				assertThat(environment(container).keySet()).as(instance)
					.noneMatch((name) -> name.contains("SECRET") || name.contains("PRIVATE"));
				assertThat(String.valueOf(container.get("secrets"))).as(instance).isEqualTo("[jwt-public-key]");
			}
		}
		try (InputStream in = Files.newInputStream(HOME.resolve("docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(in);
			assertThat(String.valueOf(nested(compose, "secrets", "jwt-public-key", "file"))).contains("INLOOP_JWT_PUBLIC_KEY");
		}
	}

	@Test
	void notifiersPublishTheirRSocketPort() throws IOException {
		Integer rsocket = (Integer) nested(applicationYaml("notifier-service"), "spring", "rsocket", "server", "port");
		assertThat(rsocket).as("notifier-service configures spring.rsocket.server.port").isNotNull();
		for (String instance : INSTANCES.get("notifier-service")) {
			assertThat(containerPorts(services().get(instance))).contains(rsocket);
		}
	}

	@Test
	void threeKafkaNodesAdvertiseTheAddressesTheServicesUseKeepThreeCopiesAndCreateNoTopicsByAccident()
			throws IOException {
		for (int node = 1; node <= 3; node++) {
			Map<String, String> kafka = environment(services().get("kafka-" + node));
			assertThat(kafka.get("KAFKA_NODE_ID")).isEqualTo(Integer.toString(node));
			assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://kafka-" + node + ":9092");
			assertThat(kafka.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
			assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
			assertThat(kafka.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
			assertThat(kafka).as("kafka-%d: three copies of every topic, Kafka's own included, two in sync", node)
				.containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
				.containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
				.containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
				.containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
				.containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
				.containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "3")
				.containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "2");
		}
		assertThat(environment(services().get("api-service"))).containsEntry("INLOOP_TOPICS_PARTITIONS", "6")
			.containsEntry("INLOOP_TOPICS_REPLICATION_FACTOR", "3");
	}

	private static int serverPort(String service) throws IOException {
		return (Integer) nested(applicationYaml(service), "server", "port");
	}

	private static Map<String, Object> applicationYaml(String service) throws IOException {
		try (InputStream in = Files
			.newInputStream(HOME.resolve(service).resolve("src/main/resources/application.yml"))) {
			return new Yaml().load(in);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> services() throws IOException {
		try (InputStream in = Files.newInputStream(HOME.resolve("docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(in);
			return (Map<String, Map<String, Object>>) compose.get("services");
		}
	}

	private static List<Integer> containerPorts(Map<String, Object> container) {
		return ((List<?>) container.get("ports")).stream()
			.map((mapping) -> Integer.parseInt(mapping.toString().substring(mapping.toString().lastIndexOf(':') + 1)))
			.toList();
	}

	private static Map<String, String> environment(Map<String, Object> container) {
		return map(container, "environment").entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> String.valueOf(entry.getValue())));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		if (value instanceof String text) {
			return Map.of("context", text);
		}
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static Object nested(Map<String, Object> yaml, String... path) {
		Object current = yaml;
		for (String key : path) {
			if (!(current instanceof Map)) {
				return null;
			}
			current = ((Map<String, Object>) current).get(key);
		}
		return current;
	}

}
