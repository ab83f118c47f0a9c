package io.inloop.bench.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a frame with Jackson's streaming parser, straight from the characters the WebSocket
 * decoded (or from the bytes, UTF-8): only type, id, state, version and updatedAt are kept,
 * everything else is skipped. A frame is a JSON object, or the arguments of a Socket.IO event
 * whose first argument after the event's name is that object ({@code ["job",{...}]}).
 */
public final class FrameParser {

	/** What a frame is, when it is not a {@code job} frame. */
	enum Kind {
		JOB, SNAPSHOT, LIVE, OTHER
	}

	private final JsonMapper json;

	public FrameParser(JsonMapper json) {
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

	Parsed parse(byte[] utf8, int offset, int length, long receivedNanos) {
		try (JsonParser parser = this.json.createParser(utf8, offset, length)) {
			return parse(parser, receivedNanos);
		}
	}

	Parsed parse(String text, long receivedNanos) {
		try (JsonParser parser = this.json.createParser(text)) {
			return parse(parser, receivedNanos);
		}
	}

	private static Parsed parse(JsonParser parser, long receivedNanos) {
		JsonToken first = parser.nextToken();
		if (first == JsonToken.START_ARRAY) {
			// A Socket.IO event: its name, then the frame.
			if (parser.nextToken() != JsonToken.VALUE_STRING) {
				return new Parsed(Kind.OTHER, null);
			}
			first = parser.nextToken();
		}
		if (first != JsonToken.START_OBJECT) {
			return new Parsed(Kind.OTHER, null);
		}
		String type = null;
		String id = null;
		String state = null;
		long version = -1;
		long updatedAt = -1;
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
						case "updatedAt" -> updatedAt = epochMillis(parser.getValueAsString());
						default -> parser.skipChildren();
					}
				}
			}
			else {
				parser.skipChildren();
			}
		}
		if ("job".equals(type) && id != null && state != null && version >= 0) {
			return new Parsed(Kind.JOB, new JobFrame(id, state, version, receivedNanos, updatedAt));
		}
		if ("snapshot".equals(type)) {
			return new Parsed(Kind.SNAPSHOT, null);
		}
		return new Parsed("live".equals(type) ? Kind.LIVE : Kind.OTHER, null);
	}

	/**
	 * Epoch milliseconds of an ISO-8601 UTC instant as the notifier writes it
	 * ({@code 2026-11-27T10:15:42.510Z}, 0 to 9 fraction digits), without {@link java.time.Instant#parse}'s
	 * cost per frame; -1 when it is not of that form.
	 */
	static long epochMillis(@Nullable String text) {
		if (text == null || text.length() < 20 || text.charAt(text.length() - 1) != 'Z' || text.charAt(4) != '-'
				|| text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
			return -1;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
				|| minute > 59 || second < 0 || second > 60) {
			return -1;
		}
		int millis = 0;
		int end = text.length() - 1;
		if (end > 19) {
			if (text.charAt(19) != '.' || end == 20) {
				return -1;
			}
			int fraction = digits(text, 20, Math.min(3, end - 20));
			if (fraction < 0 || (end > 23 && digits(text, 23, end - 23) < 0)) {
				return -1;
			}
			for (int i = Math.min(3, end - 20); i < 3; i++) {
				fraction *= 10;
			}
			millis = fraction;
		}
		long days;
		try {
			days = java.time.LocalDate.of(year, month, day).toEpochDay();
		}
		catch (java.time.DateTimeException ex) {
			return -1;
		}
		return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
	}

	/** The decimal number of {@code count} digits at {@code from}, or -1 if any is not a digit. */
	private static int digits(String text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
