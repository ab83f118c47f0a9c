package io.inloop.api.ledger;

import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.inloop.schemas.JobEvents;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.SchemaHolds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

class LedgerTopologyTests {

	private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

	private static final Duration RETENTION = Duration.ofHours(1);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock(START);

	private final JobChanges changes = new JobChanges();

	/** What the ledger told {@link LeaseExpiry}. */
	private final List<JobStatusChanged> leasesLost = new ArrayList<>();

	/** The fences the ledger told {@link LeaseExpiry} were not followed by the next attempt. */
	private final List<JobStatusChanged> nextAttemptsUnseen = new ArrayList<>();

	private final LedgerStats stats = new LedgerStats(this.clock);

	private TopologyTestDriver driver;

	private TestInputTopic<String, JobStatusChanged> status;

	private TestOutputTopic<String, JobStatusChanged> statusOut;

	private TestOutputTopic<String, JobStatusChanged> jobs;

	private TestOutputTopic<String, JobStatusChanged> openJobs;

	@BeforeEach
	void startTopology() {
		Topology topology = new Topology();
		new LedgerTopology(new LedgerSettings(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(1),
				Duration.ofMinutes(1), Duration.ofMillis(100), RETENTION, Duration.ofSeconds(1), 1000, 32, "localhost:8080",
				Duration.ofSeconds(5)),
				new LedgerCounters(this.meters), this.clock, null, new SchemaHolds(), this.changes, new LeaseExpiry() {

					@Override
					public void expired(JobStatusChanged stalled) {
						LedgerTopologyTests.this.leasesLost.add(stalled);
					}

					@Override
					public void nextAttemptUnseen(JobStatusChanged fence) {
						LedgerTopologyTests.this.nextAttemptsUnseen.add(fence);
					}

				}, this.stats)
			.configureTopology(topology);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-test");
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		this.driver = new TopologyTestDriver(topology, config, START);
		Serde<JobStatusChanged> serde = LedgerTopology.jobSerde();
		this.status = this.driver.createInputTopic(Topics.JOB_STATUS, new StringSerializer(), serde.serializer());
		this.statusOut = this.driver.createOutputTopic(Topics.JOB_STATUS, new StringDeserializer(),
				serde.deserializer());
		this.jobs = this.driver.createOutputTopic(Topics.JOBS, new StringDeserializer(), serde.deserializer());
		this.openJobs = this.driver.createOutputTopic(Topics.OPEN_JOBS, new StringDeserializer(), serde.deserializer());
	}

	@AfterEach
	void close() {
		this.driver.close();
	}

	@Test
	void keepsTheLatestSnapshotOfEachJobAndPublishesItByJobId() {
		send(snapshot("job-1", JobState.QUEUED, 0, 0));
		send(snapshot("job-1", JobState.RUNNING, 1, 0));
		send(snapshot("job-1", JobState.RUNNING, 1, 1));

		assertThat(store().get(LedgerKeys.of("alice", "job-1")).getSequence()).isEqualTo(1);
		// The progress follows within the progress interval
		this.driver.advanceWallClockTime(Duration.ofMillis(100));
		assertThat(this.jobs.readKeyValuesToList()).extracting((record) -> record.key).containsOnly("job-1").hasSize(3);
	}

	@Test
	void publishesStateChangesAtOnceAndOnlyTheLatestProgressOfAnInterval() {
		send(snapshot("job-5", JobState.QUEUED, 0, 0));
		send(snapshot("job-5", JobState.RUNNING, 1, 0));
		send(snapshot("job-5", JobState.RUNNING, 1, 1));
		send(snapshot("job-5", JobState.RUNNING, 1, 2));
		assertThat(this.jobs.readValuesToList()).extracting(JobStatusChanged::getState, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.QUEUED, 0), tuple(JobState.RUNNING, 0));

		this.driver.advanceWallClockTime(Duration.ofMillis(100));
		assertThat(this.jobs.readValuesToList()).extracting(JobStatusChanged::getSequence).containsExactly(2);

		send(snapshot("job-5", JobState.RUNNING, 1, 3));
		send(snapshot("job-5", JobState.SUCCEEDED, 1, 4));
		this.driver.advanceWallClockTime(Duration.ofMillis(100));
		// The terminal snapshot went out at once, and the progress before it never overwrites it
		assertThat(this.jobs.readValuesToList()).extracting(JobStatusChanged::getState, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.SUCCEEDED, 4));
	}

	@Test
	void dropsAndCountsWhatDoesNotAdvanceTheJob() {
		send(snapshot("job-2", JobState.RUNNING, 1, 3));
		send(snapshot("job-2", JobState.RUNNING, 1, 2));
		send(snapshot("job-2", JobState.SUCCEEDED, 1, 4));
		send(snapshot("job-2", JobState.RUNNING, 2, 0));

		assertThat(store().get(LedgerKeys.of("alice", "job-2")).getState()).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.jobs.readValuesToList()).extracting(JobStatusChanged::getSequence).containsExactly(3, 4);
		assertThat(this.meters.get("inloop.ledger.dropped").tag("reason", "stale").counter().count()).isEqualTo(1);
		assertThat(this.meters.get("inloop.ledger.dropped").tag("reason", "after-terminal").counter().count())
			.isEqualTo(1);
	}

	@Test
	void silentRunningJobIsReportedStalledToItsOwnerOnceAndResumesWithTheNextAttempt() {
		send(snapshot("job-3", JobState.RUNNING, 1, 4));

		advance(Duration.ofSeconds(10));
		assertThat(this.statusOut.isEmpty()).as("not silent for long enough yet").isTrue();
		advance(Duration.ofSeconds(6));

		List<JobStatusChanged> reports = this.statusOut.readValuesToList();
		assertThat(reports).singleElement().satisfies((stalled) -> {
			assertThat(stalled.getState()).isEqualTo(JobState.STALLED);
			assertThat(stalled.getAttempt()).isEqualTo(1);
			assertThat(stalled.getSequence()).as("a report keeps the sequence it observed").isEqualTo(4);
			assertThat(stalled.getMessage()).isEqualTo(LedgerProcessor.STALL_MESSAGE);
			assertThat(stalled.getProgress().getDone()).isEqualTo(2);
		});
		advance(Duration.ofSeconds(30));
		assertThat(this.statusOut.isEmpty()).as("reported once").isTrue();

		send(snapshot("job-3", JobState.RUNNING, 2, 0));
		assertThat(store().get(LedgerKeys.of("alice", "job-3")).getState()).isEqualTo(JobState.RUNNING);
		assertThat(store().get(LedgerKeys.of("alice", "job-3")).getAttempt()).isEqualTo(2);
	}

	@Test
	void aStalledJobsWorkerThatComesBackIsHeardToTheEnd() {
		send(snapshot("job-7", JobState.RUNNING, 1, 4));
		advance(Duration.ofSeconds(16));
		assertThat(this.statusOut.readValuesToList()).extracting(JobStatusChanged::getState)
			.containsExactly(JobState.STALLED);

		// The worker was only paused: its next snapshots, with the sequences it was going to use, win
		send(snapshot("job-7", JobState.RUNNING, 1, 5));
		assertThat(store().get(LedgerKeys.of("alice", "job-7")).getState()).isEqualTo(JobState.RUNNING);
		send(snapshot("job-7", JobState.SUCCEEDED, 1, 6));
		assertThat(store().get(LedgerKeys.of("alice", "job-7")).getState()).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.meters.get("inloop.ledger.dropped").tag("reason", "stale").counter().count()).isZero();
	}

	@Test
	void aStalledJobThatStaysSilentLosesItsLeaseOnceAfterTheGrace() {
		send(snapshot("job-9", JobState.RUNNING, 1, 4));
		advance(Duration.ofSeconds(16));
		assertThat(this.statusOut.readValuesToList()).extracting(JobStatusChanged::getState)
			.containsExactly(JobState.STALLED);
		advance(Duration.ofSeconds(10));
		assertThat(this.leasesLost).as("within the grace").isEmpty();

		advance(Duration.ofSeconds(6));
		assertThat(this.leasesLost).singleElement().satisfies((stalled) -> {
			assertThat(stalled.getJobId()).isEqualTo("job-9");
			assertThat(stalled.getState()).isEqualTo(JobState.STALLED);
			assertThat(stalled.getAttempt()).isEqualTo(1);
			assertThat(stalled.getSequence()).isEqualTo(4);
		});
		advance(Duration.ofMinutes(5));
		assertThat(this.leasesLost).as("once").hasSize(1);
		assertThat(this.meters.get("inloop.ledger.leases.expired").counter().count()).isEqualTo(1);

		// The fence the lease's holder writes: what the silent attempt still writes is stale, the next attempt wins
		JobStatusChanged fence = JobSnapshots.leaseLost(this.leasesLost.get(0), true, "lost", this.clock.instant());
		send(fence);
		assertThat(store().get(LedgerKeys.of("alice", "job-9")).getState()).isEqualTo(JobState.RETRYING);
		send(snapshot("job-9", JobState.SUCCEEDED, 1, 5));
		assertThat(store().get(LedgerKeys.of("alice", "job-9")).getState()).isEqualTo(JobState.RETRYING);
		send(snapshot("job-9", JobState.RUNNING, 2, 0));
		assertThat(store().get(LedgerKeys.of("alice", "job-9")).getAttempt()).isEqualTo(2);
		advance(Duration.ofMinutes(1));
		assertThat(this.nextAttemptsUnseen).as("the next attempt came").isEmpty();
	}

	@Test
	void theQueuesFiguresFollowItsJobs() {
		send(snapshot("q-1", JobState.QUEUED, 0, 0));
		advance(Duration.ofSeconds(5));
		send(snapshot("q-2", JobState.QUEUED, 0, 0));
		advance(Duration.ofSeconds(5));
		send(snapshot("q-1", JobState.RUNNING, 1, 0));
		send(snapshot("q-1", JobState.RUNNING, 1, 1));
		QueueStats running = this.stats.here().build(this.clock.instant());
		assertThat(running.states()).containsExactlyInAnyOrderEntriesOf(Map.of(JobState.QUEUED, 1L, JobState.RUNNING, 1L));
		assertThat(running.types()).containsOnlyKeys("demo.steps");
		assertThat(running.waiting()).isEqualTo(1);
		assertThat(running.oldestWaitSeconds()).as("q-2, queued 5 s ago").isEqualTo(5);

		send(snapshot("q-1", JobState.SUCCEEDED, 1, 2));
		send(snapshot("q-2", JobState.RUNNING, 1, 0));
		send(snapshot("q-2", JobState.FAILED, 1, 1));
		advance(Duration.ofMinutes(2));
		QueueStats ended = this.stats.here().build(this.clock.instant());
		assertThat(ended.states()).containsExactlyInAnyOrderEntriesOf(Map.of(JobState.SUCCEEDED, 1L, JobState.FAILED, 1L));
		assertThat(ended.types().get("demo.steps")).containsExactlyInAnyOrderEntriesOf(
				Map.of(JobState.SUCCEEDED, 1L, JobState.FAILED, 1L));
		assertThat(ended.waiting()).isZero();
		assertThat(ended.oldestWaitingSince()).isNull();
		assertThat(ended.lastHour().succeeded()).isEqualTo(1);
		assertThat(ended.lastHour().failed()).isEqualTo(1);
		assertThat(ended.lastHour().failureRate()).isEqualTo(0.5);
		assertThat(ended.lastHour().minutes()).hasSize(60);
		assertThat(ended.lastHour().minutes().get(2)).as("two minutes ago").isEqualTo(new QueueStats.Minute(1, 1, 0));

		// Past the hour the outcomes leave the figures; past the retention the jobs do too
		advance(Duration.ofMinutes(59));
		assertThat(this.stats.here().build(this.clock.instant()).lastHour().succeeded()).isZero();
		advance(RETENTION);
		assertThat(this.stats.here().build(this.clock.instant()).states()).isEmpty();
	}

	@Test
	void aFenceNotFollowedByTheNextAttemptIsToldOnceAfterTheGrace() {
		send(snapshot("job-13", JobState.RUNNING, 1, 4));
		advance(Duration.ofSeconds(16));
		advance(Duration.ofSeconds(16));
		assertThat(this.leasesLost).singleElement();
		// The fence is written; the command of attempt 2 never is (its writer stopped in between)
		send(JobSnapshots.leaseLost(this.leasesLost.get(0), true, "lost", this.clock.instant()));
		advance(Duration.ofSeconds(14));
		assertThat(this.nextAttemptsUnseen).as("within the grace").isEmpty();

		advance(Duration.ofSeconds(2));
		assertThat(this.nextAttemptsUnseen).singleElement().satisfies((fence) -> {
			assertThat(fence.getJobId()).isEqualTo("job-13");
			assertThat(fence.getState()).isEqualTo(JobState.RETRYING);
			assertThat(fence.getAttempt()).isEqualTo(1);
			assertThat(fence.getSequence()).isEqualTo(JobLifecycle.LAST_SEQUENCE);
		});
		advance(Duration.ofMinutes(5));
		assertThat(this.nextAttemptsUnseen).as("once").hasSize(1);
	}

	@Test
	void aRetryOfTheWorkersOwnIsNoFence() {
		send(snapshot("job-14", JobState.RETRYING, 1, 4));
		advance(Duration.ofMinutes(5));
		assertThat(this.nextAttemptsUnseen).isEmpty();
	}

	@Test
	void aStalledJobWhoseWorkerReportsAgainWithinTheGraceKeepsItsLease() {
		send(snapshot("job-10", JobState.RUNNING, 1, 4));
		advance(Duration.ofSeconds(16));
		send(JobStatusChanged.newBuilder(snapshot("job-10", JobState.RUNNING, 1, 5)).setUpdatedAt(this.clock.instant())
			.build());
		advance(Duration.ofSeconds(14));

		assertThat(this.leasesLost).isEmpty();
		assertThat(store().get(LedgerKeys.of("alice", "job-10")).getState()).isEqualTo(JobState.RUNNING);
	}

	@Test
	void aStalledJobsTerminalSnapshotRightAfterTheStallEndsIt() {
		send(snapshot("job-8", JobState.RUNNING, 1, 4));
		advance(Duration.ofSeconds(16));
		send(snapshot("job-8", JobState.FAILED, 1, 5));

		assertThat(store().get(LedgerKeys.of("alice", "job-8")).getState()).isEqualTo(JobState.FAILED);
		// The stall report, read back from the status topic after the ending, changes nothing
		this.statusOut.readValuesToList().forEach(this::send);
		assertThat(store().get(LedgerKeys.of("alice", "job-8")).getState()).isEqualTo(JobState.FAILED);
	}

	@Test
	void heartbeatsKeepAJobFromStalling() {
		send(snapshot("job-4", JobState.RUNNING, 1, 0));
		for (int beat = 1; beat <= 5; beat++) {
			advance(Duration.ofSeconds(5));
			send(JobStatusChanged.newBuilder(snapshot("job-4", JobState.RUNNING, 1, beat)).setUpdatedAt(this.clock.instant())
				.build());
		}

		assertThat(this.statusOut.isEmpty()).isTrue();
	}

	@Test
	void ownersCannotReachEachOthersJobsByPrefix() {
		send(JobStatusChanged.newBuilder(snapshot("job-5", JobState.QUEUED, 0, 0)).setOwner("a/b").build());
		send(JobStatusChanged.newBuilder(snapshot("job-6", JobState.QUEUED, 0, 0)).setOwner("a").build());

		try (var range = store().range(LedgerKeys.prefix("a"), LedgerKeys.afterPrefix("a"))) {
			assertThat(range).toIterable().extracting((entry) -> entry.value.getJobId()).containsExactly("job-6");
		}
	}

	@Test
	void finishedJobLeavesTheStoreItsIndexesAndInloopJobsAfterTheRetention() {
		send(snapshot("job-7", JobState.QUEUED, 0, 0));
		send(JobStatusChanged.newBuilder(snapshot("job-7", JobState.SUCCEEDED, 1, 1)).setFinishedAt(this.clock.instant())
			.build());
		send(snapshot("job-8", JobState.RUNNING, 1, 0));
		this.jobs.readKeyValuesToList();

		advance(RETENTION.minusSeconds(2));
		assertThat(store().get(LedgerKeys.of("alice", "job-7"))).as("kept within the retention").isNotNull();
		advance(Duration.ofSeconds(3));

		assertThat(store().get(LedgerKeys.of("alice", "job-7"))).isNull();
		assertThat(index(LedgerTopology.NEWEST_FIRST)).containsOnlyKeys(
				LedgerKeys.newestFirst("alice", START, "job-8"));
		assertThat(index(LedgerTopology.EXPIRY)).isEmpty();
		JobStatusChanged running = store().get(LedgerKeys.of("alice", "job-8"));
		assertThat(index(LedgerTopology.ACROSS_OWNERS)).containsOnlyKeys(LedgerKeys.byId("job-8"),
				LedgerKeys.all(running), LedgerKeys.ofType(running), LedgerKeys.ofState(running));
		assertThat(this.jobs.readKeyValuesToList()).filteredOn((record) -> record.key.equals("job-7"))
			.singleElement()
			.satisfies((tombstone) -> assertThat(tombstone.value).isNull());
		assertThat(this.meters.counter("inloop.ledger.expired").count()).isEqualTo(1);
		assertThat(store().get(LedgerKeys.of("alice", "job-8"))).as("a job still going stays").isNotNull();
	}

	@Test
	void newestFirstIndexPutsAnOwnersJobsInListingOrder() {
		send(JobStatusChanged.newBuilder(snapshot("job-a", JobState.QUEUED, 0, 0)).setSubmittedAt(START).build());
		send(JobStatusChanged.newBuilder(snapshot("job-b", JobState.QUEUED, 0, 0)).setSubmittedAt(START.plusSeconds(1))
			.build());
		send(JobStatusChanged.newBuilder(snapshot("job-c", JobState.QUEUED, 0, 0)).setSubmittedAt(START.plusSeconds(2))
			.build());
		send(JobStatusChanged.newBuilder(snapshot("job-a", JobState.RUNNING, 1, 0)).setSubmittedAt(START).build());

		try (var range = this.driver.<String, String>getKeyValueStore(LedgerTopology.NEWEST_FIRST)
			.range(LedgerKeys.prefix("alice"), LedgerKeys.afterPrefix("alice"))) {
			assertThat(range).toIterable().extracting((entry) -> entry.value).containsExactly(
					LedgerKeys.of("alice", "job-c"), LedgerKeys.of("alice", "job-b"), LedgerKeys.of("alice", "job-a"));
		}
	}

	@Test
	void aSnapshotWithAnotherSubmissionTimeMovesTheJobInTheIndex() {
		send(JobStatusChanged.newBuilder(snapshot("job-d", JobState.QUEUED, 0, 0)).setSubmittedAt(START).build());
		send(JobStatusChanged.newBuilder(snapshot("job-d", JobState.RUNNING, 1, 0)).setSubmittedAt(START.plusSeconds(5))
			.build());

		assertThat(index(LedgerTopology.NEWEST_FIRST)).containsOnlyKeys(
				LedgerKeys.newestFirst("alice", START.plusSeconds(5), "job-d"));
	}

	@Test
	void indexAcrossOwnersFollowsEachJobsStateAndFindsItById() {
		send(snapshot("job-e", JobState.QUEUED, 0, 0));
		send(JobStatusChanged.newBuilder(snapshot("job-f", JobState.QUEUED, 0, 0)).setOwner("bob").setType("demo.fail")
			.build());
		send(snapshot("job-e", JobState.RUNNING, 1, 0));
		send(snapshot("job-e", JobState.RUNNING, 1, 1));
		send(snapshot("job-e", JobState.FAILED, 1, 2));

		JobStatusChanged failed = store().get(LedgerKeys.of("alice", "job-e"));
		JobStatusChanged queued = store().get(LedgerKeys.of("bob", "job-f"));
		assertThat(index(LedgerTopology.ACROSS_OWNERS)).containsOnly(
				entry(LedgerKeys.byId("job-e"), LedgerKeys.of("alice", "job-e")),
				entry(LedgerKeys.all(failed), LedgerKeys.of("alice", "job-e")),
				entry(LedgerKeys.ofType(failed), LedgerKeys.of("alice", "job-e")),
				entry(LedgerKeys.ofState(failed), LedgerKeys.of("alice", "job-e")),
				entry(LedgerKeys.byId("job-f"), LedgerKeys.of("bob", "job-f")),
				entry(LedgerKeys.all(queued), LedgerKeys.of("bob", "job-f")),
				entry(LedgerKeys.ofType(queued), LedgerKeys.of("bob", "job-f")),
				entry(LedgerKeys.ofState(queued), LedgerKeys.of("bob", "job-f")));
		assertThat(LedgerKeys.ofState(failed)).startsWith(LedgerKeys.statePrefix(JobState.FAILED));
		assertThat(LedgerKeys.ofType(queued)).startsWith(LedgerKeys.typePrefix("demo.fail"));
	}

	@Test
	void whatIsPublishedToInloopJobsIsToldToLiveViews() {
		java.util.List<JobStatusChanged> told = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.changes.live().subscribe(told::add);
		send(snapshot("job-g", JobState.QUEUED, 0, 0));
		send(snapshot("job-g", JobState.RUNNING, 1, 0));
		send(snapshot("job-g", JobState.RUNNING, 1, 1));
		send(snapshot("job-g", JobState.RUNNING, 1, 2));
		this.driver.advanceWallClockTime(Duration.ofMillis(100));

		assertThat(told).isEqualTo(this.jobs.readValuesToList());
		assertThat(told).extracting(JobStatusChanged::getState, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.QUEUED, 0), tuple(JobState.RUNNING, 0), tuple(JobState.RUNNING, 2));
	}

	private java.util.Map<String, String> index(String name) {
		java.util.Map<String, String> entries = new java.util.HashMap<>();
		try (var all = this.driver.<String, String>getKeyValueStore(name).all()) {
			all.forEachRemaining((entry) -> entries.put(entry.key, entry.value));
		}
		return entries;
	}

	@Test
	void keepsEachJobUnderWayOnInloopOpenJobsWithTheCursorItCameFromAndATombstoneOnceItEnds() {
		send(snapshot("job-7", JobState.QUEUED, 0, 0));
		send(snapshot("job-7", JobState.RUNNING, 1, 0));
		send(snapshot("job-7", JobState.RUNNING, 1, 1));
		this.driver.advanceWallClockTime(Duration.ofMillis(100));
		send(snapshot("job-7", JobState.SUCCEEDED, 1, 2));

		List<TestRecord<String, JobStatusChanged>> open = this.openJobs.readRecordsToList();
		assertThat(open).extracting(TestRecord::key).containsOnly("job-7");
		assertThat(open).extracting(LedgerTopologyTests::statusCursor).containsExactly("0-0", "0-1", "0-2", "0-3");
		assertThat(open).extracting((record) -> (record.value() != null) ? record.value().getState() : null)
			.as("the job under way, its latest progress, then a tombstone once it ended")
			.containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.RUNNING, null);
		assertThat(this.jobs.readRecordsToList()).as("inloop.jobs as before: no cursor")
			.allSatisfy((record) -> assertThat(record.headers().toArray()).isEmpty());
	}

	@Test
	void aStalledReportReachesInloopOpenJobsWithItsCursorOnceItIsBackFromTheStatusTopic() {
		send(snapshot("job-8", JobState.RUNNING, 1, 0));
		this.openJobs.readRecordsToList();
		advance(Duration.ofSeconds(16));

		assertThat(this.statusOut.readValuesToList()).extracting(JobStatusChanged::getState).containsExactly(JobState.STALLED);
		List<TestRecord<String, JobStatusChanged>> open = this.openJobs.readRecordsToList();
		assertThat(open).singleElement().satisfies((stalled) -> {
			assertThat(stalled.value().getState()).isEqualTo(JobState.STALLED);
			assertThat(statusCursor(stalled)).as("the report's own record, the second of the status topic")
				.isEqualTo("0-1");
		});
	}

	private static String statusCursor(TestRecord<String, JobStatusChanged> record) {
		return new String(record.headers().lastHeader(Topics.STATUS_CURSOR_HEADER).value(), StandardCharsets.UTF_8);
	}

	private void advance(Duration duration) {
		this.clock.advance(duration);
		this.driver.advanceWallClockTime(duration);
	}

	private void send(JobStatusChanged event) {
		this.status.pipeInput(event.getOwner(), event);
	}

	private KeyValueStore<String, JobStatusChanged> store() {
		return this.driver.getKeyValueStore(LedgerTopology.STORE);
	}

	private JobStatusChanged snapshot(String jobId, JobState state, int attempt, int sequence) {
		return JobEvents.aSnapshot(jobId, state, attempt, sequence)
			.setMessage(null)
			.setSubmittedAt(START)
			.setUpdatedAt(this.clock.instant())
			.build();
	}

	/** A clock the test moves together with the driver's wall-clock time. */
	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
