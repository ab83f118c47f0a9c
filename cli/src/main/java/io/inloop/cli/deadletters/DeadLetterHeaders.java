package io.inloop.cli.deadletters;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.Topics;

/**
 * The headers spring-kafka's DeadLetterPublishingRecoverer adds (its {@code KafkaHeaders.DLT_*}
 * names, checked by a test), read without depending on Spring.
 */
final class DeadLetterHeaders {

	static final String PREFIX = "kafka_dlt-";

	static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";

	static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";

	static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";

	static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";

	static final String EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";

	static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

	/** The worker's error code for an exhausted job (worker-service ExecutionConfiguration). */
	static final String INLOOP_ERROR_CODE = Topics.ERROR_CODE_HEADER;

	private DeadLetterHeaders() {
	}

	static @Nullable String text(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	static @Nullable Integer integer(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null && header.value().length == Integer.BYTES)
				? ByteBuffer.wrap(header.value()).getInt() : null;
	}

	static @Nullable Long number(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null && header.value().length == Long.BYTES)
				? ByteBuffer.wrap(header.value()).getLong() : null;
	}

	/** Whether dead-lettering added the header, so that a re-submitted command carries only its own. */
	static boolean isAddedByDeadLettering(Header header) {
		return header.key().startsWith(PREFIX) || header.key().equals(INLOOP_ERROR_CODE);
	}

}
