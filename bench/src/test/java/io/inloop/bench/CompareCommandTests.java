package io.inloop.bench;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompareCommandTests {

	@Test
	void readsAFileWithOrWithoutALineNumber() {
		assertThat(CompareCommand.Source.of(".inloop/bench/results.ndjson:-2"))
			.isEqualTo(new CompareCommand.Source(Path.of(".inloop/bench/results.ndjson"), -2));
		assertThat(CompareCommand.Source.of("results.ndjson:12")).isEqualTo(new CompareCommand.Source(Path.of("results.ndjson"), 12));
		assertThat(CompareCommand.Source.of("results.ndjson")).isEqualTo(new CompareCommand.Source(Path.of("results.ndjson"), null));
		assertThat(CompareCommand.Source.of("c:x.ndjson")).isEqualTo(new CompareCommand.Source(Path.of("c:x.ndjson"), null));
	}

}
