package io.inloop.notifier.delivery;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * A frame about the stream rather than a job (docs/protocol.md): where catching up ends, that
 * snapshots follow instead of history, why the server ends the stream; and the transport's ping.
 */
public record ControlFrame(String type, byte[] payload) implements Frame {

	/** Catching up is over: every later frame is live. */
	public static final ControlFrame LIVE = of("live", "{\"type\":\"live\"}");

	/** Asks the transport for its keep-alive (a WebSocket ping, an SSE comment); not JSON, never sent as a frame. */
	public static final ControlFrame PING = of("ping", "");

	/**
	 * Announces {@code jobs} snapshots, the latest frame of each job, instead of the full history;
	 * {@code recovered} is false when a cursor was asked for and the events after it are gone.
	 */
	public static ControlFrame snapshot(@Nullable Boolean recovered, int jobs) {
		return of("snapshot", "{\"type\":\"snapshot\"" + ((recovered != null) ? ",\"recovered\":" + recovered : "")
				+ ",\"jobs\":" + jobs + "}");
	}

	/** The server ends the stream; for transports without close codes of their own (SSE). */
	public static ControlFrame closed(int code, String reason) {
		return of("closed", "{\"type\":\"closed\",\"code\":" + code + ",\"reason\":\"" + reason + "\"}");
	}

	private static ControlFrame of(String type, String json) {
		return new ControlFrame(type, json.getBytes(StandardCharsets.UTF_8));
	}

}
