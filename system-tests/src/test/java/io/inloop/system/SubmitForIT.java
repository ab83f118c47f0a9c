package io.inloop.system;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.cli.InloopCommand;
import io.inloop.client.InloopApiException;
import io.inloop.client.InloopClient;
import io.inloop.client.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A backend submits a job for a user (scope {@code jobs:submit-for}) with the Java client and a
 * token from {@code inloop token}; the user's browser sees it run as one of their own jobs.
 */
class SubmitForIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static InloopSystem system;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
	}

	@Test
	void aJobABackendSubmitsForAUserReachesThatUsersBrowserAndNotTheBackends() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String billing = "billing-" + UUID.randomUUID();
		String serviceToken = inloopToken("--subject", billing, "--scope", "jobs:submit-for", "--ttl", "10m");
		InloopClient backend = InloopClient.create(system.api().toString(), () -> serviceToken);
		try (FrameRecorder alicesBrowser = FrameRecorder.connect(system.notifierWebSocket(), system.token(alice));
				FrameRecorder backendsSocket = FrameRecorder.connect(system.notifierWebSocket(), serviceToken)) {

			Job job = backend.submitFor(alice, "demo.steps", Map.of("steps", 2, "delayMs", 20), "order-1")
				.block(TIMEOUT);
			assertThat(job.owner()).isEqualTo(alice);

			await().atMost(TIMEOUT).until(() -> alicesBrowser.endsWith(job.id(), "SUCCEEDED"));
			List<JsonNode> seen = alicesBrowser.jobs(job.id());
			assertThat(seen.get(0).get("state").asString()).isEqualTo("QUEUED");
			assertThat(seen).extracting((frame) -> frame.get("owner").asString()).containsOnly(alice);
			assertThat(backendsSocket.jobs(job.id())).as("the backend's own stream has none of alice's jobs").isEmpty();

			InloopClient asAlice = InloopClient.create(system.api().toString(), () -> system.token(alice));
			await().atMost(TIMEOUT).untilAsserted(
					() -> assertThat(asAlice.job(job.id()).block(TIMEOUT).state()).isEqualTo(Job.State.SUCCEEDED));
			assertThatExceptionOfType(InloopApiException.class).isThrownBy(() -> backend.job(job.id()).block(TIMEOUT))
				.satisfies((problem) -> assertThat(problem.status()).isEqualTo(404));
		}
	}

	/** {@code inloop token} with the key the services were given, as on a machine running ./inloop start. */
	private static String inloopToken(String... options) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		List<String> arguments = new java.util.ArrayList<>(List.of("token", "--private-key",
				system.privateKeyFile().toString()));
		arguments.addAll(List.of(options));
		int exit = InloopCommand.commandLine()
			.setOut(new PrintWriter(out))
			.setErr(new PrintWriter(err))
			.execute(arguments.toArray(String[]::new));
		assertThat(exit).as(err.toString()).isZero();
		return out.toString().strip();
	}

}
