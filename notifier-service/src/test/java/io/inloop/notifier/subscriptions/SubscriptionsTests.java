package io.inloop.notifier.subscriptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.inloop.history.Cursor;
import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.delivery.JobFrame;
import io.inloop.history.ReadBackLimits;
import io.inloop.history.ReadBacks;
import io.inloop.notifier.delivery.StatusHistory;
import io.inloop.schemas.JobState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flux a connection gets ({@link Subscriptions#stream}), frame by frame with StepVerifier: the
 * feed's frames are handed in directly, and nothing here reads Kafka (no cursor is older than the
 * window), so the reactive rules are seen alone: order, demand, merging, limits.
 */
class SubscriptionsTests {

	private static final Instant IN_AN_HOUR = Instant.now().plus(Duration.ofHours(1));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void aNewConnectionGetsSnapshotsThenLiveThenEveryLiveFrame() {
		Subscriptions subscriptions = subscriptions(connections(8, 4));
		JobFrame queued = frame("alice", "job-1", JobState.QUEUED, 0, 0);
		subscriptions.on(queued);
		JobFrame running = frame("alice", "job-1", JobState.RUNNING, 1, 1);
		StepVerifier.create(subscriptions.stream(caller("alice"), Audience.of("alice"), null))
			.assertNext((frame) -> assertThat(json(frame)).isEqualTo("{\"type\":\"snapshot\",\"jobs\":1}"))
			.expectNext(queued)
			.expectNext(ControlFrame.LIVE)
			.then(() -> subscriptions.on(running))
			.expectNext(running)
			// Another user's frame and a stale one of alice's never reach her.
			.then(() -> subscriptions.on(frame("bob", "job-2", JobState.RUNNING, 2, 0)))
			.then(() -> subscriptions.on(frame("alice", "job-1", JobState.RUNNING, 3, 1)))
			.expectNoEvent(Duration.ofMillis(100))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aCursorInTheWindowResumesRightAfterIt() {
		Subscriptions subscriptions = subscriptions(connections(8, 4));
		JobFrame first = frame("alice", "job-1", JobState.RUNNING, 0, 0);
		JobFrame second = frame("alice", "job-1", JobState.RUNNING, 1, 1);
		JobFrame third = frame("alice", "job-1", JobState.RUNNING, 2, 2);
		List.of(first, second, third).forEach(subscriptions::on);
		StepVerifier.create(subscriptions.stream(caller("alice"), Audience.of("alice"), first.cursor()))
			.expectNext(second, third, ControlFrame.LIVE)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void framesWaitWithoutDemandAndAWaitingProgressFrameIsMergedIntoTheNewerOne() {
		Subscriptions subscriptions = subscriptions(connections(2, 4));
		JobFrame job1 = frame("alice", "job-1", JobState.RUNNING, 0, 0);
		JobFrame job2 = frame("alice", "job-2", JobState.RUNNING, 1, 0);
		JobFrame job1Later = frame("alice", "job-1", JobState.RUNNING, 2, 1);
		// Demand for the snapshot announcement and LIVE only.
		StepVerifier.create(subscriptions.stream(caller("alice"), Audience.of("alice"), null), 2)
			.expectNextCount(1)
			.expectNext(ControlFrame.LIVE)
			.then(() -> List.of(job1, job2, job1Later).forEach(subscriptions::on))
			.expectNoEvent(Duration.ofMillis(100))
			.thenRequest(10)
			.expectNext(job2, job1Later)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.meters.counter("inloop.notifier.frames.conflated").count()).isEqualTo(1);
	}

	@Test
	void aConnectionThatFallsBehindPastItsQueueIsClosedAsTooSlow() {
		Connections connections = connections(2, 4);
		Subscriptions subscriptions = subscriptions(connections);
		StepVerifier.create(subscriptions.stream(caller("alice"), Audience.of("alice"), null), 2)
			.expectNextCount(2)
			.then(() -> {
				subscriptions.on(frame("alice", "job-1", JobState.RUNNING, 0, 0));
				subscriptions.on(frame("alice", "job-2", JobState.RUNNING, 1, 0));
				// Nothing waiting of job-3 to merge with: the queue overflows.
				subscriptions.on(frame("alice", "job-3", JobState.RUNNING, 2, 0));
			})
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ConnectionClosedException.class,
					(closed) -> assertThat(closed.reason()).isEqualTo(CloseReason.TOO_SLOW)))
			.verify(Duration.ofSeconds(5));
		assertThat(connections.count("alice")).isZero();
		assertThat(connections.hasRoomFor("alice")).isTrue();
	}

	@Test
	void aCallerHoldingAsManyConnectionsAsAllowedIsRefusedOneMore() {
		Connections connections = connections(8, 1);
		Subscriptions subscriptions = subscriptions(connections);
		Disposable first = subscriptions.stream(caller("alice"), Audience.of("alice"), null).subscribe();
		StepVerifier.create(subscriptions.stream(caller("alice"), Audience.of("alice"), null))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ConnectionClosedException.class,
					(closed) -> assertThat(closed.reason()).isEqualTo(CloseReason.LIMIT_EXCEEDED)))
			.verify(Duration.ofSeconds(5));
		first.dispose();
		assertThat(connections.hasRoomFor("alice")).isTrue();
		assertThat(connections.count()).isZero();
	}

	@Test
	void anInstanceHoldingAsManyConnectionsAsItTakesTellsTheNextCallerToTryAgainLaterUntilOneLeaves() {
		Connections connections = connections(8, 4, 2);
		Subscriptions subscriptions = subscriptions(connections);
		Disposable alice = subscriptions.stream(caller("alice"), Audience.of("alice"), null).subscribe();
		Disposable bob = subscriptions.stream(caller("bob"), Audience.of("bob"), null).subscribe();
		assertThat(connections.isFull()).isTrue();
		StepVerifier.create(subscriptions.stream(caller("carol"), Audience.of("carol"), null))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ConnectionClosedException.class,
					(closed) -> assertThat(closed.reason()).isEqualTo(CloseReason.TRY_AGAIN_LATER)))
			.verify(Duration.ofSeconds(5));
		assertThat(this.meters.get("inloop.notifier.connections.refused").counter().count()).isOne();
		assertThat(connections.hasRoomFor("carol")).as("carol holds nothing: the refusal took no place of hers").isTrue();

		alice.dispose();
		assertThat(connections.isFull()).isFalse();
		StepVerifier.create(subscriptions.stream(caller("carol"), Audience.of("carol"), null))
			.expectNextCount(1)
			.expectNext(ControlFrame.LIVE)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		bob.dispose();
		assertThat(connections.count()).isZero();
	}

	@Test
	void pastMaxJobsTheJobThatFinishedFirstGoesThenTheOneSilentLongest() {
		Subscriptions subscriptions = subscriptions(connections(8, 4), 3);
		subscriptions.on(frame("alice", "job-1", JobState.SUCCEEDED, 0, 0));
		subscriptions.on(frame("alice", "job-2", JobState.RUNNING, 1, 0));
		subscriptions.on(frame("alice", "job-3", JobState.FAILED, 2, 0));
		subscriptions.on(frame("alice", "job-4", JobState.QUEUED, 3, 0)); // job-1 goes: finished first
		subscriptions.on(frame("alice", "job-5", JobState.QUEUED, 4, 0)); // job-3: the last finished one
		subscriptions.on(frame("alice", "job-6", JobState.QUEUED, 5, 0)); // job-2: silent longest
		assertThat(snapshotJobs(subscriptions, "alice")).containsExactly("job-4", "job-5", "job-6");
		assertThat(this.meters.get("inloop.notifier.jobs").gauge().value()).isEqualTo(3);
		assertThat(this.meters.get("inloop.notifier.jobs.evicted").functionCounter().count()).isEqualTo(3);
		// A job's new event makes it the latest to speak: job-4 now outlasts job-5.
		subscriptions.on(frame("alice", "job-4", JobState.RUNNING, 6, 1));
		subscriptions.on(frame("bob", "job-7", JobState.QUEUED, 7, 0));
		assertThat(snapshotJobs(subscriptions, "alice")).containsExactly("job-6", "job-4");
		assertThat(snapshotJobs(subscriptions, "bob")).containsExactly("job-7");
	}

	@Test
	void drivenFarPastMaxJobsTheNotifierHoldsNoMore() {
		Subscriptions subscriptions = subscriptions(connections(8, 4), 100);
		for (int i = 0; i < 20_000; i++) {
			subscriptions.on(frame("user-" + (i % 50), "job-" + i, (i % 2 == 0) ? JobState.SUCCEEDED : JobState.RUNNING,
					i, 0));
		}
		assertThat(subscriptions.jobs()).isEqualTo(100);
		assertThat(this.meters.get("inloop.notifier.jobs.evicted").functionCounter().count()).isEqualTo(19_900);
		// Finished jobs go first, so the hundred held are the newest unfinished ones (odd i from 19,801).
		assertThat(snapshotJobs(subscriptions, "user-49")).containsExactly("job-19849", "job-19899", "job-19949",
				"job-19999");
		assertThat(snapshotJobs(subscriptions, "user-48")).isEmpty();
	}

	@Test
	void finishedJobsAreForgottenAfterRecentlyFinishedAndSilentOnesAfterForgetAfter() {
		Subscriptions subscriptions = subscriptions(connections(8, 4), 100);
		long now = System.currentTimeMillis();
		long hour = Duration.ofHours(1).toMillis();
		subscriptions.on(frame("alice", "done-long-ago", JobState.SUCCEEDED, 0, 0, now - 2 * hour));
		subscriptions.on(frame("alice", "silent-a-day", JobState.RUNNING, 1, 0, now - 25 * hour));
		subscriptions.on(frame("alice", "done-just-now", JobState.CANCELLED, 2, 0, now - 1000));
		subscriptions.on(frame("alice", "quiet-for-hours", JobState.QUEUED, 3, 0, now - 3 * hour));
		subscriptions.forget(now);
		assertThat(snapshotJobs(subscriptions, "alice")).containsExactly("done-just-now", "quiet-for-hours");
		assertThat(this.meters.get("inloop.notifier.jobs.evicted").functionCounter().count()).isZero();
	}

	private List<String> snapshotJobs(Subscriptions subscriptions, String owner) {
		return subscriptions.stream(caller(owner), Audience.of(owner), null)
			.takeWhile((frame) -> frame != ControlFrame.LIVE)
			.ofType(JobFrame.class)
			.map(JobFrame::jobId)
			.collectList()
			.block(Duration.ofSeconds(5));
	}

	private Connections connections(int queueCapacity, int maxPerUser) {
		return connections(queueCapacity, maxPerUser, 16384);
	}

	private Connections connections(int queueCapacity, int maxPerUser, int max) {
		return new Connections(new ConnectionSettings(queueCapacity, maxPerUser, Duration.ofSeconds(25),
				Duration.ofSeconds(1), DataSize.ofKilobytes(4), List.of(), max), this.meters);
	}

	private Subscriptions subscriptions(Connections connections) {
		return subscriptions(connections, 100_000);
	}

	private Subscriptions subscriptions(Connections connections, int maxJobs) {
		// Never read: every cursor here is inside the window.
		StatusHistory history = new StatusHistory("inloop.job-status", () -> {
			throw new AssertionError("No read-back expected");
		}, new ReadBacks(new ReadBackLimits(1, 1, 1, Duration.ofMinutes(1), Duration.ofSeconds(5)), "read-back-test",
				Duration.ofMillis(100)));
		Subscriptions subscriptions = new Subscriptions(connections, history, new ResumeSettings(16, Duration.ofHours(1),
				Duration.ofHours(24), maxJobs), this.meters);
		subscriptions.positioned(0, 1, 0);
		return subscriptions;
	}

	private static Caller caller(String user) {
		return new Caller(user, IN_AN_HOUR, false);
	}

	private static JobFrame frame(String owner, String job, JobState state, long offset, long sequence) {
		return frame(owner, job, state, offset, sequence, System.currentTimeMillis());
	}

	private static JobFrame frame(String owner, String job, JobState state, long offset, long sequence,
			long timestamp) {
		long version = (1L << 32) | sequence;
		byte[] payload = ("{\"type\":\"job\",\"cursor\":\"0-" + offset + "\",\"job\":{\"id\":\"" + job + "\"}}")
			.getBytes(StandardCharsets.UTF_8);
		return new JobFrame(owner, job, "demo.steps", state, version, timestamp, new Cursor(0, offset),
				payload);
	}

	private static String json(Frame frame) {
		return new String(frame.payload(), StandardCharsets.UTF_8);
	}

}
