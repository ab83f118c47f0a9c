package io.inloop.api.history;

import java.time.Instant;

import io.inloop.schemas.JobView;

/**
 * One NDJSON line of a history response: a notifier frame plus the record's timestamp, the same
 * shape as {@code inloop replay} prints (docs/protocol.md).
 */
record HistoryLine(String type, String cursor, Instant timestamp, JobView job) {

	static final String TYPE = "job";

}
