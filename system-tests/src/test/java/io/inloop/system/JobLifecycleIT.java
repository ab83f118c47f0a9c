package io.inloop.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.inloop.cli.process.ServiceProcess;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The promises of the job lifecycle, kept through real processes: retries, cancellation, crashes, restarts. */
class JobLifecycleIT {

	private static InloopSystem system;

	private static ApiClient api;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
	}

	@Test
	void flakyJobShowsEachRetryAndThenSucceedsAndNothingElse() throws Exception {
		String user = "flaky-" + UUID.randomUUID();
		try (FrameRecorder browser = connected(user)) {
			String job = api.submitAccepted(system.token(user), "{\"type\":\"demo.flaky\",\"payload\":{\"failures\":2}}");

			await().atMost(Duration.ofSeconds(30)).until(() -> browser.endsWith(job, "SUCCEEDED"));
			List<JsonNode> seen = browser.jobs(job);
			assertThat(seen).extracting((frame) -> frame.get("state").asString() + "#" + frame.get("attempt").asInt())
				.containsExactly("QUEUED#0", "RUNNING#1", "RETRYING#1", "RUNNING#2", "RETRYING#2", "RUNNING#3",
						"SUCCEEDED#3");
			for (JsonNode retrying : seen.stream().filter((frame) -> frame.get("state").asString().equals("RETRYING")).toList()) {
				assertThat(Instant.parse(retrying.get("nextAttemptAt").asString()))
					.isAfter(Instant.parse(retrying.get("updatedAt").asString()));
				assertThat(retrying.get("error").get("message").asString()).isNotBlank();
			}
		}
	}

	@Test
	void alwaysFailingJobEndsFailedAfterItsAttemptsAndItsCommandIsDeadLettered() throws Exception {
		String user = "doomed-" + UUID.randomUUID();
		try (FrameRecorder browser = connected(user)) {
			String job = api.submitAccepted(system.token(user),
					"{\"type\":\"demo.fail\",\"maxAttempts\":2,\"payload\":{\"message\":\"Disk full\"}}");

			await().atMost(Duration.ofSeconds(30)).until(() -> browser.endsWith(job, "FAILED"));
			assertThat(browser.jobs(job)).extracting((frame) -> frame.get("state").asString())
				.containsExactly("QUEUED", "RUNNING", "RETRYING", "RUNNING", "FAILED");
			List<ConsumerRecord<String, byte[]>> dead = DeadLetters.awaitRecords(system.brokers(),
					Topics.deadLetter(Topics.JOB_COMMANDS), job);
			assertThat(dead).hasSize(1);
			assertThat(dead.get(0).headers().toArray()).as("the error travels in headers").isNotEmpty();

			// inloop dlt resubmit: the job runs again as a new one that points to it, and its owner sees it
			java.io.StringWriter out = new java.io.StringWriter();
			int exit = io.inloop.cli.InloopCommand.commandLine()
				.setOut(new java.io.PrintWriter(out))
				.execute("dlt", "resubmit", dead.get(0).partition() + "-" + dead.get(0).offset(), "--bootstrap-servers",
						system.brokers());
			assertThat(exit).as(out.toString()).isZero();
			String again = tools.jackson.databind.json.JsonMapper.builder().build().readTree(out.toString().strip())
				.get("newJob").asString();
			await().atMost(Duration.ofSeconds(30)).until(() -> browser.endsWith(again, "FAILED"));
			assertThat(browser.jobs(again)).extracting((frame) -> frame.get("state").asString())
				.containsExactly("QUEUED", "RUNNING", "RETRYING", "RUNNING", "FAILED");
			assertThat(browser.jobs(again)).allSatisfy((frame) -> assertThat(frame.get("resubmitOf").asString()).isEqualTo(job));
			assertThat(api.job(system.token(user), again).json().get("resubmitOf").asString()).isEqualTo(job);
			assertThat(browser.jobs(job)).as("the old job stays as it ended").last()
				.satisfies((frame) -> assertThat(frame.get("state").asString()).isEqualTo("FAILED"));
		}
	}

	@Test
	void cancellingARunningJobStopsItAndCancellingAgainConflicts() throws Exception {
		String user = "canceller-" + UUID.randomUUID();
		try (FrameRecorder browser = connected(user)) {
			String job = api.submitAccepted(system.token(user),
					"{\"type\":\"demo.steps\",\"payload\":{\"steps\":100,\"delayMs\":100}}");
			await().atMost(Duration.ofSeconds(20))
				.until(() -> browser.jobs(job).stream().anyMatch((frame) -> frame.get("progress").get("done").asLong() >= 2));

			Instant asked = Instant.now();
			assertThat(api.cancel(system.token(user), job).status()).isEqualTo(202);

			await().atMost(Duration.ofSeconds(10)).until(() -> browser.endsWith(job, "CANCELLED"));
			JsonNode cancelled = browser.jobs(job).get(browser.jobs(job).size() - 1);
			assertThat(Duration.between(asked, Instant.parse(cancelled.get("updatedAt").asString())))
				.isLessThan(Duration.ofSeconds(2));
			assertThat(cancelled.get("progress").get("done").asLong()).isLessThan(100);
			assertThat(api.cancel(system.token(user), job).status()).isEqualTo(409);
			assertThat(api.cancel(system.token("someone-else-" + UUID.randomUUID()), job).status()).isEqualTo(404);
		}
	}

	@Test
	void sameIdempotencyKeyTwiceRunsOneJob() throws Exception {
		String user = "careful-" + UUID.randomUUID();
		try (FrameRecorder browser = connected(user)) {
			String body = "{\"type\":\"demo.steps\",\"payload\":{\"steps\":2}}";
			ApiClient.Response first = api.submit(system.token(user), body, "order-1234");
			await().atMost(Duration.ofSeconds(20))
				.until(() -> browser.endsWith(first.json().get("id").asString(), "SUCCEEDED"));
			ApiClient.Response second = api.submit(system.token(user), body, "order-1234");

			assertThat(second.status()).isEqualTo(202);
			assertThat(second.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
			assertThat(second.json().get("state").asString()).isEqualTo("SUCCEEDED");
			List<JsonNode> listed = list(api.jobs(system.token(user), "?type=demo.steps&limit=100"));
			assertThat(listed).extracting((job) -> job.get("id").asString())
				.containsOnlyOnce(first.json().get("id").asString());
			assertThat(browser.jobs(first.json().get("id").asString()))
				.filteredOn((frame) -> frame.get("state").asString().equals("SUCCEEDED"))
				.hasSize(1);
		}
	}

	@Test
	void garbageOnTheCommandTopicIsDeadLetteredAndTheNextJobStillRuns() throws Exception {
		String user = "resilient-" + UUID.randomUUID();
		String poisonKey = "poison-" + UUID.randomUUID();
		DeadLetters.sendRaw(system.brokers(), Topics.JOB_COMMANDS, poisonKey,
				"this is not an Avro record".getBytes(StandardCharsets.UTF_8));

		assertThat(DeadLetters.awaitRecords(system.brokers(), Topics.deadLetter(Topics.JOB_COMMANDS), poisonKey))
			.singleElement()
			.satisfies((record) -> assertThat(new String(record.value(), StandardCharsets.UTF_8))
				.isEqualTo("this is not an Avro record"));
		try (FrameRecorder browser = connected(user)) {
			String job = api.submitAccepted(system.token(user), "{\"type\":\"demo.steps\",\"payload\":{\"steps\":1}}");
			await().atMost(Duration.ofSeconds(20)).until(() -> browser.endsWith(job, "SUCCEEDED"));
		}
	}

	@Test
	void workerKilledMidJobIsReplacedAndTheOwnerSeesTheTakeoverThenOneSuccess() throws Exception {
		String user = "survivor-" + UUID.randomUUID();
		system.addWorker();
		try (FrameRecorder browser = connected(user)) {
			List<String> jobs = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				jobs.add(api.submitAccepted(system.token(user),
						"{\"type\":\"demo.steps\",\"payload\":{\"steps\":8,\"delayMs\":500}}"));
			}
			String watched = jobs.get(0);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> browser.jobs(watched).stream().anyMatch((frame) -> frame.get("progress").get("done").asLong() >= 2));

			ServiceProcess runner = system.workers()
				.stream()
				.filter((worker) -> worker.logTail(500).stream().anyMatch((line) -> line.contains(watched)))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No worker logged job " + watched));
			Instant killedAt = Instant.now();
			system.kill(runner);

			for (String job : jobs) {
				await().atMost(Duration.ofSeconds(60)).until(() -> browser.endsWith(job, "SUCCEEDED"));
			}
			// Attempts count attempts that started: the killed worker's attempt 1, then attempt 2 elsewhere
			JsonNode takeover = browser.jobs(watched).stream()
				.filter((frame) -> frame.get("state").asString().equals("RUNNING") && frame.get("attempt").asInt() > 1)
				.findFirst()
				.orElseThrow(() -> new AssertionError("no later attempt of " + watched + ": " + browser.jobs(watched)));
			assertThat(takeover.get("attempt").asInt()).isEqualTo(2);
			Instant takenOver = Instant.parse(takeover.get("startedAt").asString());
			assertThat(Duration.between(killedAt, takenOver))
				.as("the ledger queues the next attempt once the heartbeats are missed for the stall limit and the grace")
				.isLessThan(InloopSystem.STALL_AFTER.plus(InloopSystem.REQUEUE_AFTER).plusSeconds(4));
			List<String> states = browser.jobs(watched).stream().map((frame) -> frame.get("state").asString() + "#"
					+ frame.get("attempt").asInt()).toList();
			assertThat(states).as("the owner hears the worker stopped, that the next attempt is queued, and it run")
				.containsSubsequence("RUNNING#1", "STALLED#1", "RETRYING#1", "RUNNING#2", "SUCCEEDED#2");
			JsonNode fence = browser.jobs(watched).stream()
				.filter((frame) -> frame.get("state").asString().equals("RETRYING"))
				.findFirst()
				.orElseThrow();
			assertThat(fence.get("error").get("code").asString()).isEqualTo("worker-lost");
			System.out.printf("JobLifecycleIT: job %s taken over as attempt 2, %d ms after the kill%n", watched,
					Duration.between(killedAt, takenOver).toMillis());
			for (String job : jobs) {
				assertThat(browser.jobs(job)).filteredOn((frame) -> frame.get("state").asString().equals("SUCCEEDED"))
					.as("job %s succeeds exactly once", job)
					.hasSize(1);
				assertThat(api.job(system.token(user), job).json().get("state").asString()).isEqualTo("SUCCEEDED");
			}
		}
		finally {
			system.restoreOneWorker();
		}
	}

	@Test
	void workerPausedPastTheStallLimitIsShownStalledThenRunningAgainThenItsRealEnd() throws Exception {
		String user = "paused-" + UUID.randomUUID();
		// Resumed before the ledger's grace is over, its attempt goes on; the only worker, so nothing else runs it
		ServiceProcess patient = system.onlyWorkerWithLock(InloopSystem.WORKER_LOCK);
		try (FrameRecorder browser = connected(user)) {
			String job = api.submitAccepted(system.token(user),
					"{\"type\":\"demo.steps\",\"payload\":{\"steps\":6,\"delayMs\":500}}");
			await().atMost(Duration.ofSeconds(20))
				.until(() -> browser.jobs(job).stream().anyMatch((frame) -> frame.get("progress").get("done").asLong() >= 2));

			signal(patient, "STOP");
			try {
				await().atMost(Duration.ofSeconds(20)).until(() -> browser.endsWith(job, "STALLED"));
			}
			finally {
				signal(patient, "CONT");
			}

			await().atMost(Duration.ofSeconds(20)).until(() -> browser.endsWith(job, "SUCCEEDED"));
			List<JsonNode> seen = browser.jobs(job);
			List<String> states = seen.stream().map((frame) -> frame.get("state").asString() + "#" + frame.get("attempt").asInt())
				.toList();
			assertThat(states).as("one stall, then the same attempt running again and succeeding").containsOnlyOnce("STALLED#1");
			assertThat(states.subList(states.indexOf("STALLED#1"), states.size())).startsWith("STALLED#1", "RUNNING#1")
				.endsWith("SUCCEEDED#1")
				.doesNotContain("RUNNING#2");
			// Every snapshot the worker wrote reached the owner: its sequences have no gap
			List<Long> sequences = seen.stream()
				.filter((frame) -> frame.get("attempt").asInt() == 1 && !frame.get("state").asString().equals("STALLED"))
				.map((frame) -> (long) JobLifecycle.sequenceOf(frame.get("version").asLong()))
				.toList();
			assertThat(sequences).isEqualTo(java.util.stream.LongStream.range(0, sequences.size()).boxed().toList());
			assertThat(api.job(system.token(user), job).json().get("state").asString()).isEqualTo("SUCCEEDED");
		}
		finally {
			system.restoreOneWorker();
		}
	}

	@Test
	void stoppedWorkerHandsBackWhatItCannotFinishWithinItsGraceAndAnotherWorkerFinishesIt() throws Exception {
		String user = "deployed-" + UUID.randomUUID();
		system.addWorker();
		try (FrameRecorder browser = connected(user)) {
			List<String> jobs = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				// 20 steps of 500 ms: longer than the 5 s shutdown grace the system tests give workers.
				jobs.add(api.submitAccepted(system.token(user),
						"{\"type\":\"demo.steps\",\"payload\":{\"steps\":20,\"delayMs\":500}}"));
			}
			// Whichever worker the group gave the first job's partition to is the one a deploy stops.
			String handedBack = jobs.get(0);
			ServiceProcess leaving = await().atMost(Duration.ofSeconds(20))
				.until(() -> system.workers()
					.stream()
					.filter((worker) -> worker.logTail(500).stream().anyMatch((line) -> line.contains(handedBack + " (demo.steps) attempt 1 started")))
					.findFirst(), java.util.Optional::isPresent)
				.orElseThrow();

			system.stop(leaving);

			assertThat(leaving.logTail(200)).anyMatch((line) -> line.contains("Handing job " + handedBack + " back"));
			for (String job : jobs) {
				await().atMost(Duration.ofSeconds(90)).until(() -> browser.endsWith(job, "SUCCEEDED"));
				assertThat(browser.jobs(job)).filteredOn((frame) -> frame.get("state").asString().equals("SUCCEEDED"))
					.hasSize(1);
			}
			assertThat(browser.jobs(handedBack)).extracting((frame) -> frame.get("state").asString() + "#"
					+ frame.get("attempt").asInt())
				.contains("RUNNING#2")
				.last()
				.isEqualTo("SUCCEEDED#2");
		}
		finally {
			system.restoreOneWorker();
		}
	}

	@Test
	void ledgerAnswersTheSameAfterEverythingRestartsFromKafkaAlone() throws Exception {
		String user = "persistent-" + UUID.randomUUID();
		List<String> jobs = new ArrayList<>();
		try (FrameRecorder browser = connected(user)) {
			jobs.add(api.submitAccepted(system.token(user), "{\"type\":\"demo.steps\",\"payload\":{\"steps\":2}}"));
			jobs.add(api.submitAccepted(system.token(user), "{\"type\":\"demo.fail\",\"maxAttempts\":1}"));
			for (String job : jobs) {
				await().atMost(Duration.ofSeconds(30)).until(() -> !browser.jobs(job).isEmpty()
						&& List.of("SUCCEEDED", "FAILED").contains(last(browser.jobs(job)).get("state").asString()));
			}
		}
		Map<String, String> before = answers(user, jobs);
		String listedBefore = api.jobs(system.token(user), "").body();

		system.restartAll(true);

		assertThat(answers(user, jobs)).isEqualTo(before);
		assertThat(api.jobs(system.token(user), "").body()).isEqualTo(listedBefore);
		assertThat(before.values()).allSatisfy((state) -> assertThat(state).isIn("SUCCEEDED", "FAILED"));
	}

	/** SIGSTOP or SIGCONT: a process paused as a long GC, a stopped container or a starved machine would. */
	private static void signal(ServiceProcess process, String signal) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.redirectOutput(ProcessBuilder.Redirect.INHERIT)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
	}

	private static Map<String, String> answers(String user, List<String> jobs) {
		return jobs.stream().collect(Collectors.toMap((job) -> job, (job) -> {
			ApiClient.Response response = api.job(system.token(user), job);
			assertThat(response.status()).isEqualTo(200);
			return response.json().get("state").asString();
		}));
	}

	private static List<JsonNode> list(ApiClient.Response response) {
		assertThat(response.status()).isEqualTo(200);
		List<JsonNode> jobs = new ArrayList<>();
		response.json().forEach(jobs::add);
		return jobs;
	}

	private static FrameRecorder connected(String user) throws Exception {
		return FrameRecorder.connect(system.notifierWebSocket(), system.token(user));
	}

	private static JsonNode last(List<JsonNode> frames) {
		return frames.get(frames.size() - 1);
	}

}
