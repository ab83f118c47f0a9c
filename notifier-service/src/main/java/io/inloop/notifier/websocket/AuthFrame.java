package io.inloop.notifier.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first message of a connection opened without a token: {@code {"type":"auth","token":"<jwt>"}}.
 * Browsers authenticate so, keeping the token out of the URL (docs/protocol.md#authentication).
 */
final class AuthFrame {

	static final String TYPE = "auth";

	private static final JsonMapper json = JsonMapper.builder().build();

	private AuthFrame() {
	}

	/** The token of an auth frame, or {@code null} if {@code message} is not one. */
	static @Nullable String token(ByteBuf message) {
		try {
			JsonNode frame = json.readTree(new ByteBufInputStream(message.duplicate()));
			JsonNode token = frame.get("token");
			if (frame.isObject() && TYPE.equals(frame.path("type").asString(null)) && token != null
					&& token.isString() && !token.asString().isBlank()) {
				return token.asString();
			}
			return null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
