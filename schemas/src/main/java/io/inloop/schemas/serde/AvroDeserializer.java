package io.inloop.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import io.inloop.schemas.Topics;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
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
 * Reads one Avro record type written in single-object encoding by the current schema, by any
 * released older version ({@link SchemaHistory}) or, given a {@link SchemaCatalog}, by any version
 * a writer published there (a newer one during a rolling deploy), resolving it to the current
 * schema. A record it cannot read for want of its schema is a {@link NewerSchemaException}, never
 * a plain serialization error.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

	private final Schema schema;

	private final Set<Long> shipped = new HashSet<>();

	private final BinaryMessageDecoder<T> decoder;

	private final String lookedUp;

	/** Reads the current and the released schemas only: for tests and tools without a broker. */
	public AvroDeserializer(Class<T> type) {
		this(type, SchemaHistory.released(type), null);
	}

	/** Reads the current and the released schemas, and every schema published in {@code catalog}. */
	public AvroDeserializer(Class<T> type, SchemaCatalog catalog) {
		this(type, SchemaHistory.released(type), catalog);
	}

	public AvroDeserializer(Class<T> type, Collection<Schema> olderWriterSchemas) {
		this(type, olderWriterSchemas, null);
	}

	private AvroDeserializer(Class<T> type, Collection<Schema> olderWriterSchemas, @Nullable SchemaCatalog catalog) {
		TrustedTypes.register();
		SpecificData model = SpecificData.getForClass(type);
		this.schema = model.getSchema(type);
		SchemaStore.Cache history = new SchemaStore.Cache();
		olderWriterSchemas.forEach(history::addSchema);
		olderWriterSchemas.forEach((older) -> this.shipped.add(SchemaCatalog.fingerprint(older)));
		this.shipped.add(SchemaCatalog.fingerprint(this.schema));
		SchemaStore store = (catalog == null) ? history : (fingerprint) -> {
			Schema released = history.findByFingerprint(fingerprint);
			return (released != null) ? released : catalog.find(fingerprint);
		};
		this.decoder = new BinaryMessageDecoder<>(model, this.schema, store);
		this.lookedUp = (catalog == null) ? "not looked up in " + Topics.SCHEMAS : "not published in " + Topics.SCHEMAS;
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
			long fingerprint = fingerprintOf(data);
			throw new NewerSchemaException("Unknown schema fingerprint " + SchemaCatalog.key(fingerprint)
					+ " in a record on " + topic + ": no version of " + this.schema.getFullName()
					+ " this reader knows (current " + SchemaCatalog.key(SchemaCatalog.fingerprint(this.schema)) + "), "
					+ this.lookedUp + "; held until it is published, or until this reader is upgraded",
					fingerprint, ex);
		}
		catch (BadHeaderException ex) {
			throw new SerializationException("Not an Avro single-object encoded record on " + topic + ": "
					+ ex.getMessage(), ex);
		}
		catch (AvroTypeException ex) {
			long fingerprint = fingerprintOf(data);
			if (!this.shipped.contains(fingerprint)) {
				// A published newer schema that Avro cannot resolve to ours: the reader needs the upgrade.
				throw new NewerSchemaException("Record on " + topic + " written with the newer schema "
						+ SchemaCatalog.key(fingerprint) + " of " + this.schema.getFullName()
						+ ", which this reader cannot resolve to its own (" + ex.getMessage()
						+ "); held until this reader is upgraded", fingerprint, ex);
			}
			throw cannotRead(topic, ex);
		}
		catch (IOException | AvroRuntimeException | IndexOutOfBoundsException ex) {
			throw cannotRead(topic, ex);
		}
	}

	private SerializationException cannotRead(String topic, Exception ex) {
		return new SerializationException("Cannot read " + this.schema.getFullName() + " from " + topic + ": "
				+ ex.getMessage(), ex);
	}

	/** The writer's fingerprint, from the header: marker (2 bytes), then 8 bytes little-endian. */
	private static long fingerprintOf(byte[] data) {
		return (data.length < 10) ? 0 : ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
	}

}
