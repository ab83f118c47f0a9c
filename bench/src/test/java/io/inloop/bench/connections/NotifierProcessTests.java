package io.inloop.bench.connections;

import org.junit.jupiter.api.Test;

import io.inloop.bench.report.JvmProbe;

import static org.assertj.core.api.Assertions.assertThat;

class NotifierProcessTests {

	@Test
	void readsTheHeapOfTheG1Collector() {
		String g1 = """
				 garbage-first heap   total 262144K, used 12288K [0x0000000700000000, 0x0000000800000000)
				  region size 1024K, 3 young (3072K), 0 survivors (0K)
				 Metaspace       used 69640K, committed 70336K, reserved 1114112K
				""";
		assertThat(JvmProbe.heapUsed(g1)).isEqualTo(12288L * 1024);
	}

	@Test
	void sumsTheGenerationsOfTheSerialCollector() {
		String serial = """
				 def new generation   total 112512K, used 10552K [0x00000000c0000000, 0x00000000c7a10000)
				  eden space 100032K,  10% used [0x00000000c0000000, 0x00000000c0a4e270)
				 tenured generation   total 249876K, used 149923K [0x00000000d5550000, 0x00000000e4955000)
				   the space 249876K,  59% used [0x00000000d5550000, 0x00000000de7b8fe0)
				 Metaspace       used 69640K, committed 70336K, reserved 1114112K
				""";
		assertThat(JvmProbe.heapUsed(serial)).isEqualTo((10552L + 149923L) * 1024);
	}

	@Test
	void tellsNotifiersApartByTheirServerPortArgument() {
		assertThat(NotifierProcess.portOf(new String[] { "-Xmx1g", "-jar", "notifier-service/target/notifier-service-0.1.0-SNAPSHOT.jar" }))
			.isEqualTo(8090);
		assertThat(NotifierProcess.portOf(new String[] { "-jar", "notifier-service-0.1.0-SNAPSHOT.jar", "--server.port=8190",
				"--spring.rsocket.server.port=7100" }))
			.isEqualTo(8190);
		assertThat(NotifierProcess.portOf(new String[] { "--server.port=x", "--server.port=8290" })).isEqualTo(8290);
	}

	@Test
	void readsUserAndSystemTimeFromProcStat() {
		// A command name with spaces and parentheses must not shift the fields.
		String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 123 0 0 0 1500 250 0 0 20 0 48 0 777 0 0";
		assertThat(NotifierProcess.cpuTicks(stat)).isEqualTo(1750);
		assertThat(NotifierProcess.cpuTicks("garbage")).isEqualTo(-1);
	}

}
