package io.inloop.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record written with a schema this reader cannot read yet: one it does not ship and cannot find
 * in {@link io.inloop.schemas.Topics#SCHEMAS}, or a newer one that Avro cannot resolve to its own
 * (a new enum symbol, say). The record is fine; the reader is behind. It must never be skipped or
 * dead-lettered: the reader holds its position ({@link SchemaHolds}) until the schema is published
 * or the reader is upgraded.
 */
public class NewerSchemaException extends SerializationException {

	private final long fingerprint;

	NewerSchemaException(String message, long fingerprint, Throwable cause) {
		super(message, cause);
		this.fingerprint = fingerprint;
	}

	/** The writer schema's fingerprint (CRC-64-AVRO, as in the record's header). */
	public long fingerprint() {
		return this.fingerprint;
	}

}
