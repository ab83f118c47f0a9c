package io.inloop.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More submissions than the stack can take: after a warm-up, 200 callers, each sending its next
 * POST as soon as the last is accepted (or {@code Retry-After} after it was refused), for 20 s.
 * Every request is answered within 5 s, with 202 or with {@code 503 overloaded} and
 * {@code Retry-After} (api-service holds at most as many requests as it answers within its target
 * latency, 128 at most, and refuses the rest at once), and every accepted job ends, once, at its
 * owner's socket. Before the bound, 500 callers in flight made one POST in seven wait more than
 * 5 s and none was refused (docs/reliability.md, "Overload").
 */
class OverloadIT {

	private static final int CALLERS = 200;

	private static final int USERS = 50;

	private static final Duration OFFERED_FOR = Duration.ofSeconds(20);

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static InloopSystem system;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
	}

	@Test
	void pastWhatItTakesTheApiRefusesAtOnceWithRetryAfterAndEveryAcceptedJobEndsOnce() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<String> users = new ArrayList<>();
		Map<String, String> tokens = new HashMap<>();
		List<FrameRecorder> browsers = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			String user = "overload-" + run + "-" + i;
			users.add(user);
			tokens.put(user, system.token(user));
			browsers.add(FrameRecorder.connect(system.notifierWebSocket(), tokens.get(user)));
		}
		try {
			// A running instance is warm: its code compiled, its bound learnt. The shared system may have just started.
			Offered warmUp = offer(users, tokens, 25, WARM_UP);
			assertThat(warmUp.wrong).as("answers of the warm-up other than 202, and 503 with Retry-After").isEmpty();
			Offered offered = offer(users, tokens, CALLERS, OFFERED_FOR);
			System.out.printf("Overload: %d answers in %s (%d accepted, %d refused), slowest %d ms%n",
					offered.answers.get(), OFFERED_FOR, offered.accepted.size(), offered.refused.get(),
					offered.slowestMillis.get());
			offered.slow.forEach((slow) -> System.out.println("Overload: slow " + slow));
			serverSide().forEach((line) -> System.out.println("Overload: api-service " + line));
			assertThat(offered.wrong).as("answers other than 202, and 503 overloaded with Retry-After").isEmpty();
			assertThat(offered.slowestMillis.get()).as("the slowest answer, ms").isLessThan(ANSWER_WITHIN.toMillis());
			assertThat(offered.refused.get()).as("refusals: 200 callers are more than the API takes at once")
				.isPositive();
			assertThat(offered.accepted).as("accepted jobs").hasSizeGreaterThan(CALLERS);

			// Every accepted job ends at its owner's socket, exactly once.
			Map<String, String> accepted = new HashMap<>(warmUp.accepted);
			accepted.putAll(offered.accepted);
			await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(unfinished(accepted, users, browsers)).isEmpty());
			for (int i = 0; i < USERS; i++) {
				Map<String, Integer> ends = terminalFrames(browsers.get(i));
				assertThat(ends.values()).as("terminal frames per job of " + users.get(i)).allMatch((n) -> n == 1);
			}
		}
		finally {
			browsers.forEach(FrameRecorder::close);
		}
	}

	private static Offered offer(List<String> users, Map<String, String> tokens, int callers, Duration duration)
			throws InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();
		URI jobs = system.api().resolve("/api/jobs");
		Offered offered = new Offered();
		long end = System.nanoTime() + duration.toNanos();
		CountDownLatch done = new CountDownLatch(callers);
		for (int c = 0; c < callers; c++) {
			String user = users.get(c % users.size());
			Thread caller = new Thread(() -> {
				try {
					while (System.nanoTime() < end) {
						Answer answer = post(http, jobs, tokens.get(user));
						offered.record(user, answer);
						if (answer.retryAfter() != null) {
							// As a well-behaved client does: a refused caller comes back after Retry-After.
							Thread.sleep(Long.parseLong(answer.retryAfter()) * 1000);
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					done.countDown();
				}
			}, "overload-caller-" + c);
			caller.setDaemon(true);
			caller.start();
			Thread.sleep(4); // a surge over a moment, not every connection in one instant
		}
		if (!done.await(duration.plus(ANSWER_WITHIN).plusSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
			throw new AssertionError("Callers still waiting for answers long after the load ended");
		}
		return offered;
	}

	private static Answer post(HttpClient http, URI jobs, String token) {
		HttpRequest request = HttpRequest.newBuilder(jobs)
			.timeout(ANSWER_WITHIN.multipliedBy(2))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"demo.steps\",\"payload\":{\"steps\":1,\"delayMs\":0}}"))
			.build();
		long started = System.nanoTime();
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null),
					(System.nanoTime() - started) / 1_000_000);
		}
		catch (IOException ex) {
			return new Answer(-1, ex.toString(), null, (System.nanoTime() - started) / 1_000_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Answer(-1, "interrupted", null, 0);
		}
	}

	/** What api-service saw: its slowest answers to POST /api/jobs, and its bound now. */
	private static List<String> serverSide() throws IOException, InterruptedException {
		HttpResponse<String> metrics = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(system.api().resolve("/actuator/prometheus"))
				.header("Authorization", "Bearer " + system.token("prometheus", List.of("metrics")))
				.build(), HttpResponse.BodyHandlers.ofString());
		return metrics.body()
			.lines()
			.filter((line) -> (line.startsWith("http_server_requests_seconds_max") && line.contains("uri=\"/api/jobs\""))
					|| line.startsWith("inloop_api_requests"))
			.toList();
	}

	private static List<String> unfinished(Map<String, String> accepted, List<String> users, List<FrameRecorder> browsers) {
		Map<String, Set<String>> ended = new HashMap<>();
		for (int i = 0; i < users.size(); i++) {
			ended.put(users.get(i), terminalFrames(browsers.get(i)).keySet());
		}
		return accepted.entrySet()
			.stream()
			.filter((job) -> !ended.get(job.getValue()).contains(job.getKey()))
			.map(Map.Entry::getKey)
			.toList();
	}

	/** How many terminal frames each job that ended has at this socket. */
	private static Map<String, Integer> terminalFrames(FrameRecorder browser) {
		Map<String, Integer> ends = new TreeMap<>();
		for (JsonNode frame : browser.jobFrames()) {
			JsonNode job = frame.get("job");
			String state = job.get("state").asString();
			if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
				ends.merge(job.get("id").asString(), 1, Integer::sum);
			}
		}
		return ends;
	}

	private record Answer(int status, String body, String retryAfter, long millis) {
	}

	private static final class Offered {

		/** Accepted job id to its owner. */
		final Map<String, String> accepted = new ConcurrentHashMap<>();

		final AtomicLong refused = new AtomicLong();

		final AtomicLong answers = new AtomicLong();

		final AtomicLong slowestMillis = new AtomicLong();

		final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

		final ConcurrentLinkedQueue<String> slow = new ConcurrentLinkedQueue<>();

		final long begun = System.nanoTime();

		void record(String user, Answer answer) {
			this.answers.incrementAndGet();
			if (answer.millis() > 4000 && this.slow.size() < 10) {
				this.slow.add(answer.status() + " in " + answer.millis() + " ms, answered at "
						+ (System.nanoTime() - this.begun) / 1_000_000 + " ms");
			}
			this.slowestMillis.accumulateAndGet(answer.millis(), Math::max);
			if (answer.status() == 202) {
				this.accepted.put(json.readTree(answer.body()).get("id").asString(), user);
			}
			else if (answer.status() == 503 && "1".equals(answer.retryAfter())
					&& answer.body().contains("\"type\":\"https://inloop.dev/problems/overloaded\"")) {
				this.refused.incrementAndGet();
			}
			else if (this.wrong.size() < 20) {
				this.wrong.add(answer.status() + " after " + answer.millis() + " ms: " + answer.body());
			}
		}

	}

}
