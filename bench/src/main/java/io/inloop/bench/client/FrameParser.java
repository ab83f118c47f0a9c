package io.inloop.bench.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a frame with Jackson's streaming parser, straight from the characters the WebSocket
 * decoded: only type, id, state and version are kept, everything else is skipped.
 */
final class FrameParser {

	/** What a frame is, when it is not a {@code job} frame. */
	enum Kind {
		JOB, SNAPSHOT, LIVE, OTHER
	}

	private final JsonMapper json;

	FrameParser(JsonMapper json) {
		this.json = json;
	}

	/** The parsed frame; {@link Parsed#job()} is set for a {@code job} frame only. */
	record Parsed(Kind kind, @Nullable JobFrame job) {
	}

	Parsed parse(char[] chars, int offset, int length, long receivedNanos) {
		try (JsonParser parser = this.json.createParser(chars, offset, length)) {
			return parse(parser, receivedNanos);
		}
	}

	Parsed parse(String text, long receivedNanos) {
		try (JsonParser parser = this.json.createParser(text)) {
			return parse(parser, receivedNanos);
		}
	}

	private static Parsed parse(JsonParser parser, long receivedNanos) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			return new Parsed(Kind.OTHER, null);
		}
		String type = null;
		String id = null;
		String state = null;
		long version = -1;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if ("type".equals(name)) {
				type = parser.getValueAsString();
			}
			else if ("job".equals(name) && value == JsonToken.START_OBJECT) {
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String member = parser.currentName();
					parser.nextToken();
					switch (member) {
						case "id" -> id = parser.getValueAsString();
						case "state" -> state = parser.getValueAsString();
						case "version" -> version = parser.getLongValue();
						default -> parser.skipChildren();
					}
				}
			}
			else {
				parser.skipChildren();
			}
		}
		if ("job".equals(type) && id != null && state != null && version >= 0) {
			return new Parsed(Kind.JOB, new JobFrame(id, state, version, receivedNanos));
		}
		if ("snapshot".equals(type)) {
			return new Parsed(Kind.SNAPSHOT, null);
		}
		return new Parsed("live".equals(type) ? Kind.LIVE : Kind.OTHER, null);
	}

}
