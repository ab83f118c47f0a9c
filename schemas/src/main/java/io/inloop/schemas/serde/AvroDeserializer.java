package io.inloop.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads one Avro record type written in single-object encoding by the current schema or by any
 * released older version ({@link SchemaHistory}), resolving it to the current schema.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

	private final Schema schema;

	private final BinaryMessageDecoder<T> decoder;

	public AvroDeserializer(Class<T> type) {
		this(type, SchemaHistory.released(type));
	}

	public AvroDeserializer(Class<T> type, Collection<Schema> olderWriterSchemas) {
		TrustedTypes.register();
		SpecificData model = SpecificData.getForClass(type);
		this.schema = model.getSchema(type);
		SchemaStore.Cache store = new SchemaStore.Cache();
		olderWriterSchemas.forEach(store::addSchema);
		this.decoder = new BinaryMessageDecoder<>(model, this.schema, store);
	}

	@Override
	public @Nullable T deserialize(String topic, byte @Nullable [] data) {
		if (data == null) {
			return null;
		}
		try {
			return this.decoder.decode(ByteBuffer.wrap(data), null);
		}
		catch (MissingSchemaException ex) {
			throw new SerializationException("Unknown schema fingerprint " + fingerprintOf(data) + " in a record on "
					+ topic + ": it was not written by any known version of " + this.schema.getFullName()
					+ " (current fingerprint " + SchemaNormalization.parsingFingerprint64(this.schema) + ")", ex);
		}
		catch (BadHeaderException ex) {
			throw new SerializationException("Not an Avro single-object encoded record on " + topic + ": "
					+ ex.getMessage(), ex);
		}
		catch (IOException | AvroRuntimeException | IndexOutOfBoundsException ex) {
			throw new SerializationException("Cannot read " + this.schema.getFullName() + " from " + topic + ": "
					+ ex.getMessage(), ex);
		}
	}

	/** The writer's fingerprint as a signed long, the form SchemaNormalization uses. */
	private static String fingerprintOf(byte[] data) {
		if (data.length < 10) {
			return "(truncated)";
		}
		return Long.toString(ByteBuffer.wrap(data, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
	}

}
