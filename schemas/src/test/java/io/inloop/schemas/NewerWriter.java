package io.inloop.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * A writer of a release this build does not know: a record with an extra optional field
 * (resolvable), or {@link JobStatusChanged} with a state this build lacks (not resolvable where it
 * is used).
 */
public final class NewerWriter {

	private final Schema current;

	private final Schema schema;

	private final String newState;

	private final String extraField;

	private NewerWriter(Schema current, String json, String newState, String extraField) {
		this.current = current;
		this.schema = new Schema.Parser().parse(json);
		this.newState = newState;
		this.extraField = extraField;
	}

	/** The next release adds {@code "priority"} to {@link JobStatusChanged}, an optional string. */
	public static NewerWriter withExtraField() {
		return withExtraField("priority");
	}

	/** The next release adds {@code field} to {@link JobStatusChanged}: a schema of its own per name. */
	public static NewerWriter withExtraField(String field) {
		return withExtraField(JobStatusChanged.getClassSchema(), field);
	}

	/** The next release adds {@code field}, an optional string, to the record of schema {@code current}. */
	public static NewerWriter withExtraField(Schema current, String field) {
		return new NewerWriter(current, current.toString().replaceFirst("\"fields\":\\[",
				"\"fields\":[{\"name\":\"" + field + "\",\"type\":[\"null\",\"string\"],\"default\":null},"), "",
				field);
	}

	/** The next release adds the state {@code PAUSED}, without an enum default. */
	public static NewerWriter withNewState() {
		Schema current = JobStatusChanged.getClassSchema();
		return new NewerWriter(current, current.toString().replace("\"CANCELLED\"]", "\"CANCELLED\",\"PAUSED\"]"),
				"PAUSED", "");
	}

	public Schema schema() {
		return this.schema;
	}

	public long fingerprint() {
		return SchemaCatalog.fingerprint(this.schema);
	}

	/** Publishes the schema as a writer of that release does before its first record. */
	public NewerWriter publishTo(SchemaCatalog catalog) {
		catalog.publish(this.schema);
		return this;
	}

	/** {@code record} as the newer release writes it: with its extra field set, or in its new state. */
	public byte[] write(SpecificRecord record) {
		try {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
			new SpecificDatumWriter<SpecificRecord>(this.current).write(record, encoder);
			encoder.flush();
			GenericRecord newer = new GenericDatumReader<GenericRecord>(this.current, this.schema)
				.read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null));
			if (!this.extraField.isEmpty()) {
				newer.put(this.extraField, "high");
			}
			if (!this.newState.isEmpty()) {
				newer.put("state", new GenericData.EnumSymbol(this.schema.getField("state").schema(), this.newState));
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			new BinaryMessageEncoder<GenericRecord>(GenericData.get(), this.schema).encode(newer, out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
