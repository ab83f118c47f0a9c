package io.inloop.system;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.inloop.cli.process.ServiceProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two api-service instances on one ledger, its partitions shared between them: either answers
 * every read, list, cancel and idempotent submit for every owner (forwarding to the instance that
 * holds the owner's partition), also while the other is restarted; meanwhile every answer is a
 * success or {@code 503} with {@code Retry-After}, never another 5xx and never a {@code 404} for a
 * job that was accepted. A second instance joins the shared system and leaves it at the end.
 */
class ApiScaleOutIT {

	private static final int OWNERS = 12;

	private static final String A_QUICK_JOB = "{\"type\":\"demo.steps\",\"payload\":{\"steps\":2}}";

	@Test
	void eitherInstanceAnswersForEveryOwnerAlsoWhileTheOtherRestarts() throws Exception {
		InloopSystem system = InloopSystem.get();
		int port = InloopSystem.freePort();
		ServiceProcess second = system.startAnotherApi(port, "api-2");
		try {
			InloopSystem.awaitApiReady(second, port);
			ApiClient first = new ApiClient(system.api());
			ApiClient other = new ApiClient(URI.create("http://localhost:" + port));
			List<ApiClient> both = List.of(first, other);
			String run = UUID.randomUUID().toString();
			Map<String, String> tokens = new ConcurrentHashMap<>();
			Map<String, String> jobs = new ConcurrentHashMap<>();
			for (int i = 0; i < OWNERS; i++) {
				String owner = "scale-out-" + i + "-" + run;
				tokens.put(owner, system.token(owner));
				ApiClient through = both.get(i % 2);
				jobs.put(owner, acceptedAfterRetries(through, tokens.get(owner), "key-" + i));
			}

			// Every job through both instances, whichever holds its owner
			await().atMost(Duration.ofSeconds(60)).until(() -> jobs.entrySet().stream().allMatch((job) -> both.stream()
				.allMatch((api) -> succeeded(api.job(tokens.get(job.getKey()), job.getValue())))));
			int i = 0;
			for (Map.Entry<String, String> job : jobs.entrySet()) {
				String token = tokens.get(job.getKey());
				for (ApiClient api : both) {
					ApiClient.Response list = api.jobs(token, "?limit=10");
					assertThat(list.status()).as(list.body()).isEqualTo(200);
					assertThat(list.body()).contains(job.getValue());
					assertThat(api.cancel(token, job.getValue()).status()).as("cancelling a finished job").isEqualTo(409);
				}
				// The idempotent repeat through either instance names the same job
				ApiClient.Response repeat = both.get((i + 1) % 2).submit(token, A_QUICK_JOB, "key-" + indexOf(job.getKey()));
				assertThat(repeat.status()).as(repeat.body()).isEqualTo(202);
				assertThat(repeat.json().get("id").asString()).isEqualTo(job.getValue());
				i++;
			}

			// The second instance restarted while callers use both
			Answers answers = new Answers();
			AtomicBoolean driving = new AtomicBoolean(true);
			Queue<String[]> submittedMeanwhile = new ConcurrentLinkedQueue<>();
			Thread callers = new Thread(() -> {
				List<String> owners = new ArrayList<>(jobs.keySet());
				int n = 0;
				while (driving.get()) {
					String owner = owners.get(n % owners.size());
					ApiClient api = both.get(n % 2);
					answers.read(api, tokens.get(owner), jobs.get(owner));
					String accepted = answers.submit(api, tokens.get(owner));
					if (accepted != null) {
						submittedMeanwhile.add(new String[] { owner, accepted });
					}
					n++;
				}
			}, "api-scale-out-callers");
			callers.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> answers.total.get() >= 20);
			second.stop(Duration.ofSeconds(20));
			second = system.startAnotherApi(port, "api-2");
			InloopSystem.awaitApiReady(second, port);
			await().atMost(Duration.ofSeconds(60)).until(() -> answers.total.get() >= 200);
			driving.set(false);
			callers.join();

			assertThat(answers.unexpected).as("answers other than 200, 202, or 503 with Retry-After").isEmpty();
			assertThat(submittedMeanwhile).as("submissions accepted while the instance restarted").isNotEmpty();
			await().atMost(Duration.ofSeconds(60)).until(() -> submittedMeanwhile.stream().allMatch((job) -> both.stream()
				.allMatch((api) -> succeeded(api.job(tokens.get(job[0]), job[1])))));
			System.out.printf("ApiScaleOutIT: %d owners across two instances, each job read, listed, cancelled and re-submitted "
					+ "through both; while one restarted, %d answers: %d 503 with Retry-After, %d calls to the instance while "
					+ "it was down, %d jobs accepted and all SUCCEEDED through both%n", OWNERS, answers.total.get(),
					answers.retryLater.get(), answers.unreachable.get(), submittedMeanwhile.size());
		}
		finally {
			second.stop(Duration.ofSeconds(20));
			// The first instance takes every partition back before the next test
			system.awaitAllReady();
		}
	}

	private static int indexOf(String owner) {
		return Integer.parseInt(owner.split("-")[2]);
	}

	private static boolean succeeded(ApiClient.Response response) {
		return response.status() == 200 && response.json().get("state").asString().equals("SUCCEEDED");
	}

	/** Submits with {@code key} until accepted: a rebalance of the ledger may answer 503 with Retry-After first. */
	private static String acceptedAfterRetries(ApiClient api, String token, String key) {
		AtomicInteger attempts = new AtomicInteger();
		String[] accepted = new String[1];
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			attempts.incrementAndGet();
			ApiClient.Response response = api.submit(token, A_QUICK_JOB, key);
			if (response.status() == 503) {
				assertThat(response.retryAfter()).isNotNull();
				return false;
			}
			assertThat(response.status()).as(response.body()).isEqualTo(202);
			accepted[0] = response.json().get("id").asString();
			return true;
		});
		return accepted[0];
	}

	/** What the callers got while the instance restarted. */
	private static final class Answers {

		final AtomicInteger total = new AtomicInteger();

		final AtomicInteger retryLater = new AtomicInteger();

		final AtomicInteger unreachable = new AtomicInteger();

		final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

		void read(ApiClient api, String token, String job) {
			try {
				check(api.job(token, job), 200);
			}
			catch (UncheckedIOException ex) {
				this.unreachable.incrementAndGet();
			}
		}

		String submit(ApiClient api, String token) {
			try {
				ApiClient.Response response = api.submit(token, A_QUICK_JOB);
				check(response, 202);
				return (response.status() == 202) ? response.json().get("id").asString() : null;
			}
			catch (UncheckedIOException ex) {
				this.unreachable.incrementAndGet();
				return null;
			}
		}

		private void check(ApiClient.Response response, int success) {
			this.total.incrementAndGet();
			if (response.status() == success) {
				return;
			}
			if (response.status() == 503 && response.retryAfter() != null) {
				this.retryLater.incrementAndGet();
				return;
			}
			this.unexpected.add(response.status() + " " + response.body());
		}

	}

}
