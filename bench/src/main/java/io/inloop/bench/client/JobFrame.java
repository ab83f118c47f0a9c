package io.inloop.bench.client;

import io.inloop.schemas.JobLifecycle;

/**
 * The members of a {@code job} frame the bench needs (docs/protocol.md), and when it arrived.
 *
 * @param jobId the job's id
 * @param state the job's state after the change, e.g. {@code SUCCEEDED}
 * @param version {@code attempt << 32 | sequence << 1 | report} (docs/protocol.md)
 * @param receivedNanos {@link System#nanoTime()} when the whole message had arrived
 * @param updatedAtMillis the job's {@code updatedAt} in epoch milliseconds, or -1 if absent or unreadable
 */
public record JobFrame(String jobId, String state, long version, long receivedNanos, long updatedAtMillis) {

	public JobFrame(String jobId, String state, long version, long receivedNanos) {
		this(jobId, state, version, receivedNanos, -1);
	}

	/** The version of a writer's snapshot (not a report). */
	public static long version(int attempt, long sequence) {
		return JobLifecycle.version(attempt, sequence, false);
	}

	public int attempt() {
		return JobLifecycle.attemptOf(this.version);
	}

	public int sequence() {
		return JobLifecycle.sequenceOf(this.version);
	}

	/** An observer's report (STALLED), which shares the sequence of the snapshot it observed. */
	public boolean report() {
		return JobLifecycle.isReport(this.version);
	}

	public boolean terminal() {
		return "SUCCEEDED".equals(this.state) || "FAILED".equals(this.state) || "CANCELLED".equals(this.state);
	}

	public boolean succeeded() {
		return "SUCCEEDED".equals(this.state);
	}

}
