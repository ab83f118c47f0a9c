package io.inloop.notifier.delivery;

import io.inloop.history.Cursor;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;

/**
 * One status event, ready to send: the UTF-8 JSON text of the frame (docs/protocol.md), written
 * once and shared by every connection of its owner. The routing fields stay beside it so no one
 * has to parse the payload again.
 *
 * @param owner the job's owner, who alone receives the frame (and services allowed to see everyone's)
 * @param jobId the job the frame is about
 * @param jobType the job's type, for filters
 * @param state the job's state in this snapshot
 * @param version the snapshot's {@link JobLifecycle#version version}
 * @param timestamp when the event was written to the topic, in epoch milliseconds
 * @param cursor where the event sits in the status topic
 * @param payload the frame as UTF-8 JSON; shared, so never modified
 */
public record JobFrame(String owner, String jobId, String jobType, JobState state, long version, long timestamp,
		Cursor cursor, byte[] payload) implements Frame {

	@Override
	public String type() {
		return JobFrames.TYPE;
	}

	/** Whether this is the job's last frame; such frames must never be dropped. */
	public boolean isTerminal() {
		return JobLifecycle.isTerminal(this.state);
	}

	/** What the state machine says to this frame following {@code current}, a frame of the same job. */
	public JobLifecycle.Move after(JobFrame current) {
		return JobLifecycle.move(current.state, current.version, this.version);
	}

}
