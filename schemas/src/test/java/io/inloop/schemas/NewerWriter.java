package io.inloop.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * A writer of a release this build does not know: {@link JobStatusChanged} with an extra optional
 * field (resolvable), or with a state this build lacks (not resolvable when it is used).
 */
public final class NewerWriter {

	private static final String CURRENT = JobStatusChanged.getClassSchema().toString();

	private final Schema schema;

	private final String newState;

	private final String extraField;

	private NewerWriter(String json, String newState, String extraField) {
		this.schema = new Schema.Parser().parse(json);
		this.newState = newState;
		this.extraField = extraField;
	}

	/** The next release adds {@code "priority"}, an optional string. */
	public static NewerWriter withExtraField() {
		return withExtraField("priority");
	}

	/** The next release adds {@code field}, an optional string: a schema of its own per name. */
	public static NewerWriter withExtraField(String field) {
		return new NewerWriter(CURRENT.replaceFirst("\"fields\":\\[",
				"\"fields\":[{\"name\":\"" + field + "\",\"type\":[\"null\",\"string\"],\"default\":null},"), "",
				field);
	}

	/** The next release adds the state {@code PAUSED}, without an enum default. */
	public static NewerWriter withNewState() {
		return new NewerWriter(CURRENT.replace("\"CANCELLED\"]", "\"CANCELLED\",\"PAUSED\"]"), "PAUSED", "");
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

	/** {@code event} as the newer release writes it: with its extra field set, or in its new state. */
	public byte[] write(JobStatusChanged event) {
		try {
			byte[] current = new AvroSerializer<>(JobStatusChanged.class).serialize("any", event);
			GenericRecord newer = new GenericDatumReader<GenericRecord>(JobStatusChanged.getClassSchema(), this.schema)
				.read(null, DecoderFactory.get().binaryDecoder(current, 10, current.length - 10, null));
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
