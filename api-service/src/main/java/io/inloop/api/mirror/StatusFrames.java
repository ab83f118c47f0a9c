package io.inloop.api.mirror;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.JobView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a status event as the WebSocket's {@code job} frame,
 * {@code {"type":"job","cursor":"<p>-<o>","job":{...}}} (docs/protocol.md), with the cursor of the
 * status record it mirrors.
 */
final class StatusFrames {

	static final String TYPE = "job";

	// Our own mapper: the mirror's format is a protocol and must not follow spring.jackson.* settings.
	private final JsonMapper json = JsonMapper.builder().build();

	byte[] frame(int partition, long offset, JobStatusChanged event) {
		return this.json.writeValueAsBytes(new Envelope(TYPE, partition + "-" + offset, JobView.of(event)));
	}

	/** The JSON object of a frame; the component order is the order on the wire. */
	record Envelope(String type, String cursor, JobView job) {
	}

}
