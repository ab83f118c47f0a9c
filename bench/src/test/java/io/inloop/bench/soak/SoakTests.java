package io.inloop.bench.soak;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SoakTests {

	@Test
	void heapThatGrowsByOneMegabyteAMinuteHasThatSlope() {
		List<Soak.Sample> samples = List.of(new Soak.Sample(0, 100_000_000, 0, 10), new Soak.Sample(60, 101_000_000, 0, 10),
				new Soak.Sample(120, 102_000_000, 0, 10), new Soak.Sample(180, 103_000_000, 0, 10));
		assertThat(Soak.slope(samples, Soak.Sample::heap)).isCloseTo(1_000_000 / 60.0, within(1e-6));
	}

	@Test
	void flatButNoisyFileDescriptorsHaveNoSlope() {
		List<Soak.Sample> samples = List.of(new Soak.Sample(0, 0, 0, 50), new Soak.Sample(60, 0, 0, 52),
				new Soak.Sample(120, 0, 0, 50), new Soak.Sample(180, 0, 0, 52), new Soak.Sample(240, 0, 0, 50),
				new Soak.Sample(300, 0, 0, 52));
		assertThat(Soak.slope(samples, Soak.Sample::openFiles)).isCloseTo(180.0 / 63000, within(1e-9));
	}

}
