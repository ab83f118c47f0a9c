package io.inloop.notifier.websocket;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of each WebSocket connection.
 *
 * @param queueCapacity frames a connection may have waiting to be sent; one more closes it as too slow
 */
@ConfigurationProperties("inloop.notifier.websocket")
public record WebSocketSettings(int queueCapacity) {

	public WebSocketSettings {
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("inloop.notifier.websocket.queue-capacity must be at least 1");
		}
	}

}
