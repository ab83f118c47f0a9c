package io.inloop.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Writes one Avro record type in single-object encoding (marker, schema fingerprint, body). Given a
 * {@link SchemaCatalog}, it publishes its schema there before the first record, so that readers
 * which do not know the schema yet can look it up.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

	private final Schema schema;

	private final BinaryMessageEncoder<T> encoder;

	private final @Nullable SchemaCatalog catalog;

	private volatile boolean published;

	/** Publishes its schema nowhere: for tests and for records only readers of the same build read. */
	public AvroSerializer(Class<T> type) {
		this(type, null);
	}

	/** Publishes its schema in {@code catalog} before it writes the first record. */
	public AvroSerializer(Class<T> type, @Nullable SchemaCatalog catalog) {
		this.schema = SpecificData.get().getSchema(type);
		this.encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), this.schema);
		this.catalog = catalog;
		this.published = (catalog == null);
	}

	/** Publishes the schema now (once), so that the first record does not wait for it. */
	public void publishSchema() {
		if (!this.published && this.catalog != null) {
			this.catalog.publish(this.schema);
			this.published = true;
		}
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable T record) {
		if (record == null) {
			return null;
		}
		publishSchema();
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try {
			this.encoder.encode(record, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			throw new SerializationException("Cannot write " + record.getSchema().getFullName() + " to " + topic
					+ ": " + ex.getMessage(), ex);
		}
		return out.toByteArray();
	}

}
