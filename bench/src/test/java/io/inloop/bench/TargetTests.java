package io.inloop.bench;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTests {

	@Test
	void startsInloopOnAFreshDataDirectoryAndThePeerAsItIs() {
		assertThat(Target.INLOOP.start().commandFor(Path.of("/tmp/r1")))
			.containsExactly("./inloop", "start", "--quiet", "--data-dir", "/tmp/r1/kafka");
		assertThat(Target.SOCKETIO.start().commandFor(Path.of("/tmp/r1"))).isEqualTo(List.of("bench/peers/bullmq/run.sh"));
	}

	@Test
	void knowsThePeerByItsNameOnly() {
		Target.PeerConverter converter = new Target.PeerConverter();

		assertThat(converter.convert("socketio")).isEqualTo(Target.SOCKETIO);
		assertThat(Target.SOCKETIO.webSocket().toString()).isEqualTo("ws://localhost:3100/socket.io/?EIO=4&transport=websocket");
		assertThatThrownBy(() -> converter.convert("bullmq")).isInstanceOf(TypeConversionException.class)
			.hasMessageContaining("expected socketio");
	}

}
