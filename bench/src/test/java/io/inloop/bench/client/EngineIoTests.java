package io.inloop.bench.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineIoTests {

	@Test
	void tellsEngineIoPacketsApart() {
		assertThat(EngineIo.kindOf("0{\"sid\":\"a\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000}"))
			.isEqualTo(EngineIo.Packet.OPEN);
		assertThat(EngineIo.kindOf("1")).isEqualTo(EngineIo.Packet.CLOSE);
		assertThat(EngineIo.kindOf("2")).isEqualTo(EngineIo.Packet.PING);
		assertThat(EngineIo.kindOf("3")).isEqualTo(EngineIo.Packet.OTHER);
		assertThat(EngineIo.kindOf("6")).isEqualTo(EngineIo.Packet.OTHER);
		assertThat(EngineIo.kindOf("")).isEqualTo(EngineIo.Packet.OTHER);
	}

	@Test
	void tellsSocketIoPacketsApartInsideMessages() {
		assertThat(EngineIo.kindOf("40{\"sid\":\"x\"}")).isEqualTo(EngineIo.Packet.CONNECTED);
		assertThat(EngineIo.kindOf("44{\"message\":\"unauthorized\"}")).isEqualTo(EngineIo.Packet.CONNECT_ERROR);
		assertThat(EngineIo.kindOf("42[\"job\",{}]")).isEqualTo(EngineIo.Packet.EVENT);
		assertThat(EngineIo.kindOf("41")).isEqualTo(EngineIo.Packet.DISCONNECT);
		assertThat(EngineIo.kindOf("43[1]")).isEqualTo(EngineIo.Packet.OTHER);
		assertThat(EngineIo.kindOf("4")).isEqualTo(EngineIo.Packet.OTHER);
	}

	@Test
	void findsAnEventsArgumentsAfterNamespaceAndAckId() {
		assertThat(EngineIo.eventArguments("42[\"job\",{}]")).isEqualTo(2);
		assertThat(EngineIo.eventArguments("4217[\"job\",{}]")).isEqualTo(4);
		assertThat(EngineIo.eventArguments("42/admin,3[\"job\"]")).isEqualTo(10);
		assertThat(EngineIo.eventArguments("42")).isEqualTo(-1);
	}

	@Test
	void connectsToTheDefaultNamespaceWithItsAuth() {
		assertThat(EngineIo.connect("{\"token\":\"alice\"}")).isEqualTo("40{\"token\":\"alice\"}");
		assertThat(EngineIo.PONG).isEqualTo("3");
	}

}
