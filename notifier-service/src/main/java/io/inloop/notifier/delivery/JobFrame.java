package io.inloop.notifier.delivery;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;

/**
 * One status event, ready to send: the UTF-8 JSON text of the frame (docs/protocol.md), written
 * once and shared by every connection of its owner. The routing fields stay beside it so no one
 * has to parse the payload again.
 *
 * @param owner the job's owner, who alone receives the frame
 * @param jobId the job the frame is about
 * @param state the job's state in this snapshot
 * @param cursor where the event sits in the status topic
 * @param payload the frame as UTF-8 JSON; shared, so never modified
 */
public record JobFrame(String owner, String jobId, JobState state, Cursor cursor, byte[] payload) {

	/** Whether this is the job's last frame; such frames must never be dropped. */
	public boolean isTerminal() {
		return JobLifecycle.isTerminal(this.state);
	}

}
