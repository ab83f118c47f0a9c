package io.inloop.cli.start;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleEchoTests {

	private static final String INFO = "2026-11-27T16:00:00.000Z  INFO 42 --- [api-service] [main] o.s.Foo : hello";

	private static final String WARN = "2026-11-27T16:00:00.000Z  WARN 42 --- [api-service] [main] o.s.Foo : careful";

	private static final String STARTED = "2026-11-27T16:00:00.000Z  INFO 42 --- [main] i.i.a.Application : Started Application in 4.2 seconds";

	@Test
	void problemsShowsWarningsAndTheStartedLineOnly() {
		assertThat(ConsoleEcho.PROBLEMS.shows(INFO)).isFalse();
		assertThat(ConsoleEcho.PROBLEMS.shows(WARN)).isTrue();
		assertThat(ConsoleEcho.PROBLEMS.shows(STARTED)).isTrue();
	}

	@Test
	void allAndNoneMeanWhatTheySay() {
		assertThat(ConsoleEcho.ALL.shows(INFO)).isTrue();
		assertThat(ConsoleEcho.NONE.shows(WARN)).isFalse();
	}

}
