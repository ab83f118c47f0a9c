package io.inloop.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/** Writes one Avro record type in single-object encoding (marker, schema fingerprint, body). */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

	private final BinaryMessageEncoder<T> encoder;

	public AvroSerializer(Class<T> type) {
		this.encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), SpecificData.get().getSchema(type));
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable T record) {
		if (record == null) {
			return null;
		}
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
