package io.inloop.bench.processes;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessNameTests {

	private static final String JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";

	@Test
	void namesAServiceJvmByItsJar() {
		assertThat(ProcessName.of(JAVA, "java", List.of("-Dreactor.netty.ioWorkerCount=2", "-XX:+UseSerialGC", "-jar",
				"/work/main/api-service/target/api-service-0.1.0-SNAPSHOT.jar", "--spring.profiles.active=local", "--server.port=8080")))
			.isEqualTo("api-service");
	}

	@Test
	void namesTheLocalStacksJvmByItsJarAndCommand() {
		assertThat(ProcessName.of(JAVA, "java", List.of("-Xms512m", "-Xmx1g", "-jar", "cli/target/cli-0.1.0-SNAPSHOT-exec.jar", "start",
				"--quiet", "--data-dir", "/tmp/x/kafka")))
			.isEqualTo("cli start");
		// A stack in one JVM, whatever its jar is called, is named as it is.
		assertThat(ProcessName.of(JAVA, "java", List.of("-jar", "inloop-local-1.2.jar"))).isEqualTo("inloop-local");
	}

	@Test
	void namesAJvmWithoutAJarOtherJava() {
		assertThat(ProcessName.of(JAVA, "java", List.of("-cp", "a.jar:b.jar", "org.example.Main"))).isEqualTo(ProcessName.OTHER_JAVA);
		assertThat(ProcessName.of(JAVA, "java", List.of("-jar"))).isEqualTo(ProcessName.OTHER_JAVA);
	}

	@Test
	void namesNodeByItsScriptAndAnythingElseByItsExecutable() {
		assertThat(ProcessName.of("/usr/bin/node", "node", List.of("/work/main/bench/peers/bullmq/server.js"))).isEqualTo("node server");
		assertThat(ProcessName.of("/usr/bin/node", "node", List.of("--max-old-space-size=512", "worker.mjs"))).isEqualTo("node worker");
		assertThat(ProcessName.of("/usr/bin/node", "node", List.of())).isEqualTo("node");
		// Debian's redis-server is a link to redis-check-rdb: the name it was started by counts.
		assertThat(ProcessName.of("/usr/bin/redis-check-rdb", "redis-server\n", List.of("127.0.0.1:6390"))).isEqualTo("redis-server");
		assertThat(ProcessName.of("/usr/bin/bash", "", List.of("run.sh"))).isEqualTo("bash");
	}

	@Test
	void readsTheLastServerPort() {
		assertThat(ProcessName.portOf(List.of("--server.port=8070", "--server.port=8170"))).isEqualTo(8170);
		assertThat(ProcessName.portOf(List.of("--server.port=x"))).isNull();
		assertThat(ProcessName.portOf(List.of("-jar", "a.jar"))).isNull();
	}

	@Test
	void findsTheStacksRootsByTheirCommandLines() {
		assertThat(StackLayout.isInloopStart(List.of("-jar", "/r/cli/target/cli-0.1.0-SNAPSHOT-exec.jar", "start", "--quiet"))).isTrue();
		assertThat(StackLayout.isInloopStart(List.of("-jar", "/r/cli/target/cli-0.1.0-SNAPSHOT-exec.jar", "replay"))).isFalse();
		assertThat(StackLayout.isPeerScript(List.of("/r/bench/peers/bullmq/worker.js"))).isTrue();
		assertThat(StackLayout.isPeerScript(List.of("/r/other/server.js"))).isFalse();
	}

}
