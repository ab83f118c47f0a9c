package io.inloop.api.history;

import java.time.Instant;

import io.inloop.schemas.JobView;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One NDJSON line of a history response: a notifier frame plus the record's timestamp, the same
 * shape as {@code inloop replay} prints (docs/protocol.md).
 */
@Schema(description = "One line of a history response: a notifier job frame plus when Kafka took the event")
record HistoryLine(@Schema(description = "Always job", example = "job") String type,
		@Schema(description = "Where the event sits in the status topic, <partition>-<offset>; a WebSocket or SSE "
				+ "client resumes after it with ?since=", example = "2-1041") String cursor,
		@Schema(description = "The Kafka record's timestamp") Instant timestamp,
		@Schema(description = "The job after this event") JobView job) {

	static final String TYPE = "job";

}
