package io.inloop.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.inloop.cli.broker.LocalCluster;
import io.inloop.cli.broker.Quorum;
import io.inloop.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inloop on a three-node Kafka cluster ({@code inloop start --brokers 3}: each node a process of
 * its own, three copies of every partition, two in sync for a write), with the node that leads
 * every partition of Inloop's topics killed (SIGKILL) while jobs run and their owner is connected,
 * then brought back; then two nodes killed at once. docs/reliability.md quotes what it prints.
 */
class ThreeBrokersIT {

	private static final int JOBS = 12;

	/** Each job runs about 3 s; the node dies while most are queued or running. */
	private static final String A_SLOW_JOB = "{\"type\":\"demo.steps\",\"payload\":{\"steps\":15,\"delayMs\":200}}";

	private static final String A_QUICK_JOB = "{\"type\":\"demo.steps\",\"payload\":{\"steps\":2}}";

	/** The node every partition of Inloop's topics prefers as its leader: the one killed first. */
	private static final int LEADER = 1;

	private static final Duration NODE_START = Duration.ofSeconds(90);

	@TempDir
	static Path data;

	@Test
	void aKilledLeaderLosesNothingAndTwoNodesDownOnlyHoldWritesBackUntilOneReturns() throws Exception {
		LocalCluster cluster = TestBroker.startCluster(data);
		Quorum quorum = cluster.quorum();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
			createTopicsLedBy(admin, LEADER);
			try (InloopSystem system = InloopSystem.on(cluster.bootstrapServers(), quorum.replicationFactor())) {
				String user = "three-brokers-" + UUID.randomUUID();
				String token = system.token(user);
				ApiClient api = new ApiClient(system.api(), Duration.ofSeconds(30));
				FrameRecorder socket = FrameRecorder.connect(system.notifierWebSocket(), token);
				// A first job creates what Kafka creates on first use: the share group's state, the mirror's transactions.
				String first = api.submitAccepted(token, A_QUICK_JOB);
				await().atMost(Duration.ofSeconds(30)).until(() -> socket.endsWith(first, "SUCCEEDED"));
				assertEveryTopicKeepsThreeCopiesTwoInSync(admin);

				leaderKilledAndBack(cluster, admin, api, token, socket);
				twoNodesKilled(cluster, system, api, token, socket);
				socket.close();
			}
		}
		finally {
			cluster.stop();
		}
	}

	private static void leaderKilledAndBack(LocalCluster cluster, Admin admin, ApiClient api, String token,
			FrameRecorder socket) {
		List<String> jobs = jobsUnderWay(api, token, socket);
		assertThat(leaders(admin, Topics.JOB_COMMANDS)).as("the command partition's leader").containsOnly(LEADER);
		assertThat(leaders(admin, Topics.JOB_STATUS)).as("the status partitions' leader").containsOnly(LEADER);

		long killed = System.nanoTime();
		cluster.kill(LEADER);
		Answers answers = new Answers();
		List<String> submittedMeanwhile = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			submittedMeanwhile.add(answers.submitUntilAccepted(api, token, A_SLOW_JOB));
			answers.read(api.job(token, jobs.get(i)));
		}
		long meanwhile = Duration.ofNanos(System.nanoTime() - killed).toMillis();
		jobs.addAll(submittedMeanwhile);

		// The other two carry on alone: every job ends while the killed node is still down.
		await().atMost(Duration.ofSeconds(60)).until(() -> jobs.stream().allMatch((job) -> socket.endsWith(job, "SUCCEEDED")));
		long allEnded = Duration.ofNanos(System.nanoTime() - killed).toMillis();
		assertEachEndedOnceInOrder(socket, jobs);
		assertThat(leaders(admin, Topics.JOB_STATUS)).as("the status partitions' leaders, moved").doesNotContain(LEADER);
		await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream()
			.allMatch((job) -> api.job(token, job).json().get("state").asString().equals("SUCCEEDED")));

		cluster.restart(LEADER, NODE_START);
		String after = api.submitAccepted(token, A_QUICK_JOB);
		await().atMost(Duration.ofSeconds(30)).until(() -> socket.endsWith(after, "SUCCEEDED"));
		System.out.printf("ThreeBrokersIT: node %d, leader of every Inloop partition, killed with %d jobs under way; "
				+ "meanwhile %d jobs submitted in %d ms (%d answers 503 with Retry-After first, %d reads answered), "
				+ "all %d SUCCEEDED at the socket, each once, %d ms after the kill, and in the ledger, the node still "
				+ "down; the owner saw %s; the node back, a new job is done%n",
				LEADER, JOBS, submittedMeanwhile.size(), meanwhile, answers.refused, answers.reads, jobs.size(),
				allEnded, detours(socket, jobs));
	}

	// Two of three down: no quorum of controllers and one copy in sync of two needed. Writes wait, nothing is lost.
	private static void twoNodesKilled(LocalCluster cluster, InloopSystem system, ApiClient api, String token,
			FrameRecorder socket) {
		List<String> jobs = jobsUnderWay(api, token, socket);
		cluster.kill(1);
		cluster.kill(2);
		long down = System.nanoTime();
		int framesWhenDown = socket.jobFrames().size();

		ApiClient.Response refused = api.submit(token, A_SLOW_JOB);
		long refusedAfter = Duration.ofNanos(System.nanoTime() - down).toMillis();
		assertThat(refused.status()).as(refused.body()).isEqualTo(503);
		assertThat(refused.contentType()).isEqualTo("application/problem+json");
		assertThat(refused.retryAfter()).isNotNull();
		Answers answers = new Answers();
		answers.read(api.job(token, jobs.get(0)));
		int framesWhileDown = socket.jobFrames().size() - framesWhenDown;
		Map<String, Long> statesSeen = jobs.stream()
			.map((job) -> socket.jobs(job))
			.map((frames) -> frames.isEmpty() ? "none" : frames.get(frames.size() - 1).get("state").asString())
			.collect(Collectors.groupingBy((state) -> state, Collectors.counting()));
		assertThat(socket.closed()).as("the socket stays open while Kafka cannot take writes").isNotDone();

		cluster.restart(1, NODE_START);
		long oneBack = System.nanoTime();
		cluster.restart(2, NODE_START);
		await().atMost(Duration.ofSeconds(120)).until(() -> jobs.stream().allMatch((job) -> socket.endsWith(job, "SUCCEEDED")));
		long allEnded = Duration.ofNanos(System.nanoTime() - oneBack).toMillis();
		assertEachEndedOnceInOrder(socket, jobs);
		system.awaitAllReady();
		String after = api.submitAccepted(token, A_QUICK_JOB);
		await().atMost(Duration.ofSeconds(30)).until(() -> socket.endsWith(after, "SUCCEEDED"));
		await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream()
			.allMatch((job) -> api.job(token, job).json().get("state").asString().equals("SUCCEEDED")));
		System.out.printf("ThreeBrokersIT: nodes 1 and 2 killed with %d jobs under way: a submission answered 503 with "
				+ "Retry-After after %d ms (%s); a read answered %s; %d job frames reached the socket while two were "
				+ "down, the jobs last seen as %s; all SUCCEEDED at the socket %d ms after node 1 was back, each once; "
				+ "the owner saw %s%n",
				JOBS, refusedAfter, refused.json().path("type").asString(), answers.lastRead, framesWhileDown, statesSeen,
				allEnded, detours(socket, jobs));
	}

	/** {@value #JOBS} slow jobs submitted, once the first of them runs. */
	private static List<String> jobsUnderWay(ApiClient api, String token, FrameRecorder socket) {
		List<String> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(api.submitAccepted(token, A_SLOW_JOB));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> socket.jobs(jobs.get(0)).stream()
			.anyMatch((job) -> job.get("state").asString().equals("RUNNING")));
		return jobs;
	}

	/** How many of {@code jobs} the owner saw stalled or retried on their way: "none" when none. */
	private static String detours(FrameRecorder socket, Collection<String> jobs) {
		Map<String, Long> detours = jobs.stream()
			.flatMap((job) -> socket.jobs(job).stream().map((frame) -> frame.get("state").asString()).distinct())
			.filter((state) -> state.equals("STALLED") || state.equals("RETRYING"))
			.collect(Collectors.groupingBy((state) -> state, Collectors.counting()));
		return detours.isEmpty() ? "no job stalled or retried" : "jobs stalled or retried " + detours;
	}

	private static void assertEachEndedOnceInOrder(FrameRecorder socket, Collection<String> jobs) {
		for (String job : jobs) {
			socket.assertSucceededOnce(job);
			List<Long> versions = socket.jobs(job).stream().map((frame) -> frame.get("version").asLong()).toList();
			assertThat(versions).as("the versions of %s, strictly increasing", job).isSorted().doesNotHaveDuplicates();
		}
	}

	/** What the API answered while a node was down: only 2xx, or 503 with Retry-After and a problem. */
	private static final class Answers {

		int refused;

		int reads;

		String lastRead = "";

		String submitUntilAccepted(ApiClient api, String token, String body) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (true) {
				ApiClient.Response response = api.submit(token, body);
				if (response.status() == 202) {
					return response.json().get("id").asString();
				}
				assertRefusedToRetry(response);
				this.refused++;
				assertThat(System.nanoTime()).as("accepted within 60 s").isLessThan(deadline);
				honour(response.retryAfter());
			}
		}

		// A client told to come back later waits that long: pacing, as OverloadIT's callers do, not waiting for a condition.
		private static void honour(String retryAfter) {
			try {
				TimeUnit.SECONDS.sleep(Long.parseLong(retryAfter));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		void read(ApiClient.Response response) {
			if (response.status() != 200) {
				assertRefusedToRetry(response);
			}
			this.reads++;
			this.lastRead = (response.status() == 200) ? "200 (" + response.json().get("state").asString() + ")"
					: response.status() + " " + response.json().path("type").asString();
		}

		private static void assertRefusedToRetry(ApiClient.Response response) {
			assertThat(response.status()).as(response.body()).isEqualTo(503);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			assertThat(response.retryAfter()).as("Retry-After").isNotNull();
		}

	}

	/** Inloop's topics, every partition on all three nodes and led by {@code leader} unless it is down. */
	private static void createTopicsLedBy(Admin admin, int leader) throws Exception {
		List<Integer> replicas = new ArrayList<>(List.of(leader));
		IntStream.rangeClosed(1, 3).filter((id) -> id != leader).forEach(replicas::add);
		List<NewTopic> topics = Topics.definitions(InloopSystem.PARTITIONS, (short) 3, Duration.ofDays(7))
			.stream()
			.map((topic) -> new NewTopic(topic.name(), IntStream.range(0, topic.numPartitions())
				.boxed()
				.collect(Collectors.toMap((partition) -> partition, (partition) -> replicas))).configs(topic.configs()))
			.toList();
		admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
	}

	/** Every topic, Kafka's own (offsets, share-group state, transactions) and the Streams changelogs included. */
	private static void assertEveryTopicKeepsThreeCopiesTwoInSync(Admin admin) throws Exception {
		Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
		assertThat(names).as("Kafka's own topics, and the ledger's changelog")
			.contains("__consumer_offsets", "__share_group_state", "__transaction_state")
			.anyMatch((name) -> name.endsWith("-changelog"));
		Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
		for (TopicDescription topic : topics.values()) {
			for (TopicPartitionInfo partition : topic.partitions()) {
				assertThat(partition.replicas()).as("the copies of %s-%d", topic.name(), partition.partition()).hasSize(3);
			}
		}
		Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
			.map((name) -> new ConfigResource(ConfigResource.Type.TOPIC, name))
			.toList()).all().get(30, TimeUnit.SECONDS);
		configs.forEach((topic, config) -> assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
			.as("min.insync.replicas of %s", topic.name())
			.isEqualTo("2"));
	}

	private static Set<Integer> leaders(Admin admin, String topic) {
		try {
			return admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(10, TimeUnit.SECONDS)
				.get(topic)
				.partitions()
				.stream()
				.map((partition) -> (partition.leader() != null) ? partition.leader().id() : -1)
				.collect(Collectors.toSet());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot describe " + topic, ex);
		}
	}

}
