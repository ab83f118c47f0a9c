package io.inloop.api.mirror;

import java.util.Map;

import io.inloop.schemas.serde.NewerSchemaException;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A status record the mirror cannot read: one of a newer schema holds the mirror there (the stream
 * thread fails before committing past it, is replaced and reads it again) until the schema is
 * published or this release is upgraded; anything else is skipped, since the ledger already
 * dead-letters it to {@code inloop.job-status-dlt} and one copy there is enough.
 */
public class UnreadableStatusSkipper implements DeserializationExceptionHandler, Configurable {

	/** The mirror's name in {@link SchemaHolds}. */
	static final String READER = "status-mirror";

	/** The config key of the {@link SchemaHolds} this handler reports to. */
	static final String HOLDS = "inloop.status-mirror.schema-holds";

	private static final Logger logger = LoggerFactory.getLogger(UnreadableStatusSkipper.class);

	private SchemaHolds holds = new SchemaHolds();

	@Override
	public void configure(Map<String, ?> configs) {
		if (configs.get(HOLDS) instanceof SchemaHolds configured) {
			this.holds = configured;
		}
	}

	@Override
	public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
			Exception exception) {
		String at = record.topic() + "-" + record.partition() + "@" + record.offset();
		if (exception instanceof NewerSchemaException newer) {
			this.holds.hold(READER, at, newer);
			return Response.fail();
		}
		logger.warn("Not mirrored: {} is not a status event ({})", at, exception.getMessage());
		return Response.resume();
	}

}
