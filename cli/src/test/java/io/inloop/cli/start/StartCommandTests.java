package io.inloop.cli.start;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.inloop.cli.InloopCommand;
import io.inloop.cli.process.InloopHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StartCommandTests {

	@TempDir
	Path repository;

	@AfterEach
	void forgetRepository() {
		System.clearProperty(InloopHome.PROPERTY);
	}

	@Test
	void aMissingServiceJarStopsStartBeforeKafkaStarts() {
		System.setProperty(InloopHome.PROPERTY, this.repository.toString());
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = InloopCommand.commandLine()
			.setOut(new PrintWriter(out))
			.setErr(new PrintWriter(err))
			.execute("start", "--data-dir", this.repository.resolve(".inloop/kafka").toString(), "--services",
					"api-service");
		assertThat(exitCode).isEqualTo(StartCommand.FAILED);
		assertThat(err.toString()).contains("Cannot start: No jar for api-service",
				"run ./mvnw -DskipTests package");
		assertThat(out.toString()).doesNotContain("Starting Kafka");
		assertThat(Files.exists(this.repository.resolve(".inloop/kafka"))).isFalse();
	}

	@Test
	void aProcessCountOutsideOneToNineIsRefusedBeforeAnythingStarts() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = InloopCommand.commandLine()
			.setOut(new PrintWriter(out))
			.setErr(new PrintWriter(err))
			.execute("start", "--data-dir", this.repository.resolve(".inloop/kafka").toString(), "--notifiers", "10");
		assertThat(exitCode).isNotZero();
		assertThat(err.toString()).contains("--notifiers must be between 1 and 9, not 10");
		assertThat(out.toString()).doesNotContain("Starting Kafka");
	}

	@Test
	void everyProcessOfAServiceGetsItsOwnPortsAHundredApart() {
		List<ServiceInstance> instances = ServiceInstance.of(
				List.of(InloopService.API, InloopService.WORKER, InloopService.NOTIFIER), 2, 2, 3);
		assertThat(instances).extracting(ServiceInstance::name)
			.containsExactly("api-service", "api-service-2", "worker-service", "worker-service-2", "notifier-service",
					"notifier-service-2", "notifier-service-3");
		assertThat(instances).extracting(ServiceInstance::httpPort)
			.containsExactly(8080, 8180, 8070, 8170, 8090, 8190, 8290);
		assertThat(instances.get(6).rsocketPort()).isEqualTo(7200);
		assertThat(instances.get(6).arguments()).containsExactly("--server.port=8290", "--spring.rsocket.server.port=7200");
		assertThat(instances.get(4).arguments()).isEmpty();
	}

	@Test
	void servicesListenOnLoopbackOnlyAndGrantNoAdminDevTokensUnlessAsked() {
		StartCommand start = new StartCommand();
		picocli.CommandLine command = new picocli.CommandLine(start);
		command.parseArgs("--data-dir", this.repository.resolve(".inloop/kafka").toString());
		StackSettings settings = settingsOf(start);
		assertThat(settings.listenAddress()).isEqualTo("127.0.0.1");
		ServiceInstance notifier = new ServiceInstance(InloopService.NOTIFIER, 0);
		ServiceInstance api = new ServiceInstance(InloopService.API, 0);
		assertThat(settings.argumentsFor(notifier)).contains("--server.address=127.0.0.1",
				"--spring.rsocket.server.address=127.0.0.1");
		assertThat(settings.argumentsFor(api)).contains("--server.address=127.0.0.1",
				"--inloop.dev-tokens.allowed-scopes=events:all,metrics",
				"--spring.kafka.streams.state-dir=" + settings.home().resolve("state/api-service"),
				"--inloop.ledger.membership.instance-id=api-service", "--inloop.ledger.advertised-address=127.0.0.1:8080");
		assertThat(settings.argumentsFor(new ServiceInstance(InloopService.API, 1))).as("a second api-service: its own state, member and address")
			.contains("--server.port=8180", "--spring.kafka.streams.state-dir=" + settings.home().resolve("state/api-service-2"),
					"--inloop.ledger.membership.instance-id=api-service-2",
					"--inloop.ledger.advertised-address=127.0.0.1:8180");
		assertThat(settings.inOneJvm()).as("the services run in the stack's JVM unless --processes").isTrue();
		assertThat(settings.argumentsFor(new ServiceInstance(InloopService.WORKER, 1))).contains("--server.address=127.0.0.1",
				"--server.port=8170");
		assertThat(notifier.readiness().getHost()).isEqualTo("127.0.0.1");

		StartCommand open = new StartCommand();
		new picocli.CommandLine(open).parseArgs("--listen-all", "--allow-admin-dev-tokens", "--processes");
		StackSettings opened = settingsOf(open);
		assertThat(opened.inOneJvm()).isFalse();
		assertThat(opened.argumentsFor(notifier)).contains("--server.address=0.0.0.0",
				"--spring.rsocket.server.address=0.0.0.0");
		assertThat(opened.argumentsFor(api)).contains("--inloop.dev-tokens.allowed-scopes=events:all,metrics,admin");
	}

	@Test
	void theStacksOwnPagesAndTheOriginsAskedForMayCallTheApiAndOpenTheStreams() {
		String own = "http://localhost:8080,http://127.0.0.1:8080,http://localhost:8090,http://127.0.0.1:8090";
		ServiceInstance notifier = new ServiceInstance(InloopService.NOTIFIER, 0);
		ServiceInstance api = new ServiceInstance(InloopService.API, 0);
		StartCommand plain = new StartCommand();
		new picocli.CommandLine(plain).parseArgs();
		assertThat(settingsOf(plain).argumentsFor(api)).contains("--inloop.api.cors.allowed-origins=" + own);
		assertThat(settingsOf(plain).argumentsFor(notifier)).contains("--inloop.notifier.connections.allowed-origins=" + own);

		StartCommand dev = new StartCommand();
		new picocli.CommandLine(dev).parseArgs("--allowed-origin", "http://localhost:5173", "--allowed-origin",
				"https://app.example.com,http://[::1]:3000");
		String asked = own + ",http://localhost:5173,https://app.example.com,http://[::1]:3000";
		assertThat(settingsOf(dev).argumentsFor(api)).contains("--inloop.api.cors.allowed-origins=" + asked);
		assertThat(settingsOf(dev).argumentsFor(notifier)).contains("--inloop.notifier.connections.allowed-origins=" + asked);

		for (String notAnOrigin : List.of("localhost:5173", "http://localhost:5173/", "http://localhost:5173/app", "*")) {
			StringWriter err = new StringWriter();
			int exitCode = InloopCommand.commandLine()
				.setOut(new PrintWriter(new StringWriter()))
				.setErr(new PrintWriter(err))
				.execute("start", "--data-dir", this.repository.resolve(".inloop/kafka").toString(), "--allowed-origin",
						notAnOrigin);
			assertThat(exitCode).as(notAnOrigin).isNotZero();
			assertThat(err.toString()).contains("--allowed-origin takes an origin such as http://localhost:5173")
				.contains("'" + notAnOrigin + "'");
		}
	}

	@Test
	void threeBrokersKeepThreeCopiesOnConsecutivePortsInAFolderOfTheirOwn() {
		StartCommand single = new StartCommand();
		new picocli.CommandLine(single).parseArgs();
		StackSettings alone = settingsOf(single);
		assertThat(alone.quorum().bootstrapServers()).isEqualTo("localhost:9092");
		assertThat(alone.kafkaDir().getFileName()).hasToString("kafka");
		assertThat(alone.argumentsFor(new ServiceInstance(InloopService.API, 0))).contains(
				"--spring.kafka.bootstrap-servers=localhost:9092", "--inloop.topics.replication-factor=1");

		StartCommand three = new StartCommand();
		new picocli.CommandLine(three).parseArgs("--brokers", "3");
		StackSettings cluster = settingsOf(three);
		assertThat(cluster.quorum().toString()).isEqualTo("1:9092:9093,2:9094:9095,3:9096:9097");
		assertThat(cluster.quorum().replicationFactor()).isEqualTo((short) 3);
		assertThat(cluster.quorum().minInSyncReplicas()).isEqualTo(2);
		assertThat(cluster.kafkaDir().getFileName()).as("never the single broker's folder, formatted for another cluster")
			.hasToString("kafka-cluster");
		assertThat(cluster.argumentsFor(new ServiceInstance(InloopService.WORKER, 0))).contains(
				"--spring.kafka.bootstrap-servers=localhost:9092,localhost:9094,localhost:9096");
		assertThat(cluster.argumentsFor(new ServiceInstance(InloopService.API, 0))).contains(
				"--inloop.topics.replication-factor=3");
	}

	@Test
	void aBrokerCountOutsideOneToNineIsRefusedBeforeAnythingStarts() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = InloopCommand.commandLine()
			.setOut(new PrintWriter(out))
			.setErr(new PrintWriter(err))
			.execute("start", "--data-dir", this.repository.resolve(".inloop/kafka").toString(), "--brokers", "0");
		assertThat(exitCode).isNotZero();
		assertThat(err.toString()).contains("--brokers must be between 1 and 9, not 0");
		assertThat(out.toString()).doesNotContain("Starting Kafka");
	}

	private static StackSettings settingsOf(StartCommand command) {
		return command.settings();
	}

}
