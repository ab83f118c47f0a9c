package io.inloop.worker;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker runs handler code: it must never be given a key that mints tokens. */
class TokenKeysTests {

	@Test
	void aWorkerGivenTheHmacSecretRefusesToStart() {
		assertThatThrownBy(() -> start("--inloop.security.jwt.secret=a-secret-of-at-least-thirty-two-bytes!!"))
			.hasRootCauseMessage("The worker runs handler code and must not hold a key that mints tokens: "
					+ "unset inloop.security.jwt.secret and private-key-location, and give it the public key "
					+ "(inloop.security.jwt.public-key-location) or jwk-set-uri");
	}

	@Test
	void aWorkerGivenAPrivateKeyRefusesToStart() {
		assertThatThrownBy(() -> start("--inloop.security.jwt.public-key-location=classpath:test-jwt-public.pem",
				"--inloop.security.jwt.private-key-location=classpath:test-jwt-private.pem"))
			.rootCause()
			.hasMessageContaining("must not hold a key that mints tokens");
	}

	private static void start(String... keys) {
		String[] arguments = new String[keys.length + 3];
		arguments[0] = "--spring.kafka.bootstrap-servers=" + System.getProperty("spring.embedded.kafka.brokers", "localhost:1");
		arguments[1] = "--server.port=0";
		arguments[2] = "--spring.kafka.listener.auto-startup=false";
		System.arraycopy(keys, 0, arguments, 3, keys.length);
		new SpringApplicationBuilder(WorkerApplication.class).run(arguments).close();
	}

}
