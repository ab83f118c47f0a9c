package io.inloop.notifier.websocket;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param authTimeout how long a connection opened without a token may take to send its auth frame;
 * until then it holds no subscription, only its socket and a timer
 */
@ConfigurationProperties("inloop.notifier.websocket")
public record WebSocketSettings(@DefaultValue("10s") Duration authTimeout) {
}
