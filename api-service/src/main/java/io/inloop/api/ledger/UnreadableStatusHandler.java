package io.inloop.api.ledger;

import java.util.Map;

import io.inloop.schemas.serde.NewerSchemaException;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

/**
 * A status record the ledger cannot read: one of a newer schema holds the ledger there (the stream
 * thread fails before committing past it, is replaced and reads it again) until the schema is
 * published or this release is upgraded; anything else is dead-lettered by the recoverer.
 */
public class UnreadableStatusHandler extends RecoveringDeserializationExceptionHandler {

	/** The ledger's name in {@link SchemaHolds}. */
	static final String READER = "ledger";

	/** The config key of the {@link SchemaHolds} this handler reports to. */
	static final String HOLDS = "inloop.ledger.schema-holds";

	private SchemaHolds holds = new SchemaHolds();

	@Override
	public void configure(Map<String, ?> configs) {
		super.configure(configs);
		if (configs.get(HOLDS) instanceof SchemaHolds configured) {
			this.holds = configured;
		}
	}

	@Override
	public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
			Exception exception) {
		if (exception instanceof NewerSchemaException newer) {
			this.holds.hold(READER, record.topic() + "-" + record.partition() + "@" + record.offset(), newer);
			return Response.fail();
		}
		return super.handleError(context, record, exception);
	}

}
