package io.inloop.bench.processes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatTests {

	@Test
	void readsIdNameAndUserAndSystemTime() {
		// A name with spaces and parentheses must not shift the fields.
		String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 123 0 0 0 1500 250 0 0 20 0 48 0 777 0 0";

		ProcStat parsed = ProcStat.parse(stat);

		assertThat(parsed).isEqualTo(new ProcStat(4242, "java (x) y", 1500, 250));
		assertThat(parsed.cpuTicks()).isEqualTo(1750);
		assertThat(ProcStat.ticksToMillis(1750)).isEqualTo(17_500.0);
	}

	@Test
	void readsAThreadsLine() {
		String stat = "4250 (reactor-http-ep) R 1 4242 4242 0 -1 4194368 10 0 0 0 731 42 0 0 20 0 1 0 800 0 0\n";

		assertThat(ProcStat.parse(stat)).isEqualTo(new ProcStat(4250, "reactor-http-ep", 731, 42));
	}

	@Test
	void refusesWhatIsNotAStatLine() {
		assertThat(ProcStat.parse("garbage")).isNull();
		assertThat(ProcStat.parse("12 (short) S 1 2")).isNull();
		assertThat(ProcStat.parse("x (java) S 1 4242 4242 0 -1 4194560 123 0 0 0 1500 250 0 0")).isNull();
	}

	@Test
	void readsResidentMemoryAndThreadsFromStatus() {
		String status = """
				Name:	java
				State:	S (sleeping)
				VmPeak:	 5000000 kB
				VmRSS:	  412345 kB
				RssAnon:	  300000 kB
				Threads:	57
				""";

		assertThat(ProcStatus.parse(status)).isEqualTo(new ProcStatus(412345L * 1024, 57));
		assertThat(ProcStatus.parse("Name:\tzombie\nState:\tZ\n")).isEqualTo(new ProcStatus(null, -1));
	}

}
