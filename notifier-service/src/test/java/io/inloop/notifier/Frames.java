package io.inloop.notifier;

import java.util.List;

import tools.jackson.databind.JsonNode;

/** Reading received frames in tests. */
public final class Frames {

	private Frames() {
	}

	/** The cursors of the job frames, in the order received. */
	public static List<String> cursors(List<JsonNode> frames) {
		return jobs(frames).stream().map((frame) -> frame.get("cursor").asString()).toList();
	}

	public static List<JsonNode> jobs(List<JsonNode> frames) {
		return frames.stream().filter((frame) -> "job".equals(frame.get("type").asString())).toList();
	}

	public static boolean isLive(List<JsonNode> frames) {
		return frames.stream().anyMatch((frame) -> "live".equals(frame.get("type").asString()));
	}

}
