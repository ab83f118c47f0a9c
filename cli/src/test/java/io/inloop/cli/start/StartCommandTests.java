package io.inloop.cli.start;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

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

}
