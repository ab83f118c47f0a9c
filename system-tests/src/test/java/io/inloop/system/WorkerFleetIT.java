package io.inloop.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.inloop.cli.process.ServiceProcess;
import io.inloop.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The queue sets no limit on the fleet: a worker is two members of the workers' share group, not
 * one per job slot (one per slot made six workers of 32 slots the whole fleet, the group's cap being
 * 200 members). And workers that join, stop or are killed while jobs flow lose no job and run none
 * twice: a command is the worker's only from its fetch to its attempt's start.
 */
class WorkerFleetIT {

	private static final Pattern STARTED = Pattern.compile("Job (\\S+) \\(demo\\.steps\\) attempt (\\d+) started");

	private static InloopSystem system;

	private static ApiClient api;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
	}

	@Test
	void eightWorkersOf32SlotsTakeJobsAndWorkersJoiningStoppingAndDyingUnderLoadLoseAndRepeatNothing() throws Exception {
		String user = "fleet-" + UUID.randomUUID();
		// With the shared worker: 8 workers, 228 job slots, more than the group's 200 members
		List<ServiceProcess> fleet = new ArrayList<>(system.addWorkers(7, 32));
		try (FrameRecorder browser = FrameRecorder.connect(system.notifierWebSocket(), system.token(user));
				Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.brokers()))) {
			// A killed worker of an earlier test stays a member until its session times out (45 s)
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(members(admin))
				.as("two members per worker").isEqualTo(2 * system.workers().size()));

			List<String> jobs = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				jobs.add(api.submitAccepted(system.token(user), "{\"type\":\"demo.steps\",\"payload\":{\"steps\":4,\"delayMs\":250}}"));
				if (i == 60) {
					system.stop(fleet.remove(0));
				}
				else if (i == 120) {
					fleet.addAll(system.addWorkers(1, 32));
				}
				else if (i == 180) {
					system.kill(fleet.remove(0));
				}
				else if (i == 240) {
					system.stop(fleet.remove(0));
				}
				Thread.sleep(20);
			}

			for (String job : jobs) {
				await().atMost(Duration.ofSeconds(90)).until(() -> browser.endsWith(job, "SUCCEEDED"));
			}
			for (String job : jobs) {
				List<JsonNode> frames = browser.jobs(job);
				assertThat(frames).filteredOn((frame) -> frame.get("state").asString().equals("SUCCEEDED"))
					.as("job %s succeeds exactly once", job)
					.hasSize(1);
				assertThat(frames).filteredOn((frame) -> frame.get("state").asString().equals("FAILED")).isEmpty();
			}
			Map<String, Integer> starts = new HashMap<>();
			for (ServiceProcess worker : system.everyWorkerStarted()) {
				for (String line : worker.logTail(100_000)) {
					Matcher started = STARTED.matcher(line);
					if (started.find() && jobs.contains(started.group(1))) {
						starts.merge(started.group(1) + "#" + started.group(2), 1, Integer::sum);
					}
				}
			}
			assertThat(starts).as("no attempt of any job started twice").allSatisfy((attempt, count) -> assertThat(count)
				.as(attempt).isEqualTo(1));
			assertThat(starts.keySet().stream().map((attempt) -> attempt.substring(0, attempt.indexOf('#'))).distinct().count())
				.as("every job started").isEqualTo(jobs.size());
		}
		finally {
			system.restoreOneWorker();
		}
	}

	private static int members(Admin admin) throws Exception {
		ShareGroupDescription group = admin.describeShareGroups(List.of(Topics.WORKER_GROUP))
			.describedGroups()
			.get(Topics.WORKER_GROUP)
			.get();
		return group.members().size();
	}

}
