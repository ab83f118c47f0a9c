package io.inloop.cli.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ServiceJarsTests {

	@TempDir
	Path repository;

	@Test
	void findsTheExecutableJarAndSkipsTheOthers() throws IOException {
		Path target = Files.createDirectories(this.repository.resolve("api-service/target"));
		Files.createFile(target.resolve("api-service-0.1.0-SNAPSHOT.jar.original"));
		Files.createFile(target.resolve("api-service-0.1.0-SNAPSHOT-sources.jar"));
		Files.createFile(target.resolve("api-service-0.1.0-SNAPSHOT-exec.jar"));
		Path jar = Files.createFile(target.resolve("api-service-0.1.0-SNAPSHOT.jar"));
		assertThat(new ServiceJars(this.repository).jar("api-service")).isEqualTo(jar);
	}

	@Test
	void aMissingJarSaysHowToBuildIt() {
		assertThatIllegalStateException().isThrownBy(() -> new ServiceJars(this.repository).jar("worker-service"))
			.withMessageContaining("No jar for worker-service")
			.withMessageContaining("run ./mvnw -DskipTests package");
	}

	@Test
	void theRepositoryRootIsFoundFromAnyFolderInside() throws IOException {
		Files.writeString(this.repository.resolve("pom.xml"), "<artifactId>inloop-parent</artifactId>");
		Files.createFile(this.repository.resolve("mvnw"));
		Path deep = Files.createDirectories(this.repository.resolve("cli/src/main"));
		assertThat(InloopHome.findFrom(deep)).contains(this.repository.toAbsolutePath().normalize());
	}

	@Test
	void aFolderWithoutInloopsPomIsNotTheRoot() throws IOException {
		Files.writeString(this.repository.resolve("pom.xml"), "<artifactId>something-else</artifactId>");
		Files.createFile(this.repository.resolve("mvnw"));
		assertThat(InloopHome.isRepositoryRoot(this.repository)).isFalse();
	}

}
