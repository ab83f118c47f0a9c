package io.inloop.schemas.serde;

import java.util.List;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaHistoryTests {

	@ParameterizedTest
	@ValueSource(classes = { SubmitJob.class, CancelJob.class, JobStatusChanged.class })
	void latestReleasedVersionIsTheCurrentSchema(Class<?> type) {
		List<Schema> released = SchemaHistory.released(type);
		Schema current = SpecificData.get().getSchema(type);

		assertThat(released).as("a changed schema needs a new file in its history").isNotEmpty();
		assertThat(SchemaNormalization.parsingFingerprint64(released.get(released.size() - 1)))
			.isEqualTo(SchemaNormalization.parsingFingerprint64(current));
	}

	@ParameterizedTest
	@ValueSource(classes = { SubmitJob.class, CancelJob.class, JobStatusChanged.class })
	void everyReleasedVersionIsBackwardAndForwardCompatibleWithTheCurrentOne(Class<?> type) {
		Schema current = SpecificData.get().getSchema(type);
		for (Schema released : SchemaHistory.released(type)) {
			assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
				.as("current reads %s", released)
				.isEqualTo(SchemaCompatibilityType.COMPATIBLE);
			assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType())
				.as("%s reads current", released)
				.isEqualTo(SchemaCompatibilityType.COMPATIBLE);
		}
	}

}
