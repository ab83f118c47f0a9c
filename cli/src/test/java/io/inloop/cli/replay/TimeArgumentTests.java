package io.inloop.cli.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TimeArgumentTests {

	private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private final TimeArgument times = new TimeArgument(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void readsInstantsDatesRelativeTimesAndNow() {
		assertThat(this.times.convert("2026-11-27T10:15:30Z")).isEqualTo(Instant.parse("2026-11-27T10:15:30Z"));
		assertThat(this.times.convert("2026-11-27T11:15:30+01:00")).isEqualTo(Instant.parse("2026-11-27T10:15:30Z"));
		assertThat(this.times.convert("2026-11-26")).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
		assertThat(this.times.convert("-30m")).isEqualTo(Instant.parse("2026-11-27T11:30:00Z"));
		assertThat(this.times.convert("-2h")).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
		assertThat(this.times.convert("-7d")).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
		assertThat(this.times.convert("now")).isEqualTo(NOW);
	}

	@Test
	void anythingElseSaysWhatIsAccepted() {
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.times.convert("2h"))
			.withMessageContaining("'2h' is not a time")
			.withMessageContaining("-30m, -2h, -7d");
	}

}
