package io.inloop.bench.client;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class FrameParserTests {

	private final FrameParser parser = new FrameParser(JsonMapper.builder().build());

	@Test
	void readsIdStateAndVersionOfAJobFrameAndSkipsTheRest() {
		String frame = "{\"type\":\"job\",\"cursor\":\"2-1041\",\"job\":{\"id\":\"0b7d\",\"owner\":\"alice\",\"type\":\"demo.steps\","
				+ "\"state\":\"SUCCEEDED\",\"progress\":{\"done\":5,\"total\":5},\"message\":null,\"result\":{\"url\":\"/f\",\"n\":[1,{\"id\":\"x\"}]},"
				+ "\"attempt\":1,\"version\":4294967302,\"submittedAt\":\"2026-11-27T10:15:30.123Z\"},\"later\":{\"id\":\"y\"}}";
		char[] chars = ("xx" + frame + "yy").toCharArray();

		FrameParser.Parsed parsed = this.parser.parse(chars, 2, frame.length(), 42);

		assertThat(parsed.kind()).isEqualTo(FrameParser.Kind.JOB);
		assertThat(parsed.job()).isEqualTo(new JobFrame("0b7d", "SUCCEEDED", 4294967302L, 42));
		assertThat(parsed.job().attempt()).isEqualTo(1);
		assertThat(parsed.job().sequence()).isEqualTo(3);
		assertThat(parsed.job().report()).isFalse();
		assertThat(parsed.job().terminal()).isTrue();
	}

	@Test
	void tellsSnapshotAndLiveFramesFromFramesItDoesNotKnow() {
		assertThat(this.parser.parse("{\"type\":\"snapshot\",\"jobs\":2}", 0).kind()).isEqualTo(FrameParser.Kind.SNAPSHOT);
		assertThat(this.parser.parse("{\"type\":\"live\"}", 0).kind()).isEqualTo(FrameParser.Kind.LIVE);
		assertThat(this.parser.parse("{\"type\":\"later\",\"job\":{\"id\":\"a\"}}", 0).kind()).isEqualTo(FrameParser.Kind.OTHER);
		assertThat(this.parser.parse("[]", 0).job()).isNull();
	}

	@Test
	void readsTheFrameOfASocketIoEvent() {
		String event = "[\"job\",{\"type\":\"job\",\"job\":{\"id\":\"p1\",\"owner\":\"bob\",\"state\":\"RUNNING\","
				+ "\"attempt\":1,\"version\":4294967300,\"progress\":{\"done\":2,\"total\":10}}}]";

		FrameParser.Parsed parsed = this.parser.parse(event, 9);

		assertThat(parsed.job()).isEqualTo(new JobFrame("p1", "RUNNING", 4294967300L, 9));
		assertThat(parsed.job().sequence()).isEqualTo(2);
		assertThat(this.parser.parse("[1,{\"type\":\"job\"}]", 0).job()).isNull();
	}

	@Test
	void readsUpdatedAtFromUtf8Bytes() {
		String frame = "{\"type\":\"job\",\"cursor\":\"0-7\",\"job\":{\"id\":\"j\u00e9\",\"state\":\"RUNNING\",\"message\":\"\u00e9t\u00e9\","
				+ "\"version\":4294967297,\"updatedAt\":\"2026-11-27T10:15:42.510Z\"}}";
		byte[] utf8 = ("x" + frame).getBytes(java.nio.charset.StandardCharsets.UTF_8);

		FrameParser.Parsed parsed = this.parser.parse(utf8, 1, utf8.length - 1, 7);

		assertThat(parsed.job()).isEqualTo(new JobFrame("j\u00e9", "RUNNING", 4294967297L, 7,
				java.time.Instant.parse("2026-11-27T10:15:42.510Z").toEpochMilli()));
	}

	@Test
	void readsInstantsAsInstantParseDoes() {
		for (String instant : new String[] { "2026-11-27T10:15:42.510Z", "1970-01-01T00:00:00Z", "2028-02-29T23:59:59.9Z",
				"2026-12-01T21:35:00.123456789Z", "2026-12-01T21:35:00.12Z" }) {
			assertThat(FrameParser.epochMillis(instant)).as(instant)
				.isEqualTo(java.time.Instant.parse(instant).toEpochMilli());
		}
		assertThat(FrameParser.epochMillis(null)).isEqualTo(-1);
		assertThat(FrameParser.epochMillis("2026-11-27T10:15:42.510+01:00")).isEqualTo(-1);
		assertThat(FrameParser.epochMillis("2026-11-27T10:15:42.Z")).isEqualTo(-1);
		assertThat(FrameParser.epochMillis("2026-13-27T10:15:42Z")).isEqualTo(-1);
	}

}
