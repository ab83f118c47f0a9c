package io.inloop.cli.start;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JwtSecretTests {

	@TempDir
	Path home;

	@Test
	void isGeneratedOnceAndKept() {
		Path file = this.home.resolve(".inloop/jwt-secret");
		String secret = JwtSecret.loadOrCreate(file);
		assertThat(Base64.getDecoder().decode(secret)).hasSize(48);
		assertThat(secret.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
		assertThat(JwtSecret.loadOrCreate(file)).isEqualTo(secret);
	}

}
