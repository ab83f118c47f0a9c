package io.inloop.notifier.subscriptions;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of every client connection, whatever the transport.
 *
 * @param queueCapacity frames a connection may have waiting; then progress frames are merged, and a
 * frame that merges with none closes the connection as too slow
 * @param maxPerUser open connections one user (JWT subject) may hold
 * @param pingInterval how often idle and busy connections alike are pinged (SSE: a comment)
 * @param sweepInterval how often connections are checked for expired tokens and due pings
 * @param maxInboundFrameSize largest message a client may send (WebSocket, RSocket)
 * @param allowedOrigins browser origins allowed to open {@code /ws} and {@code /events}; requests
 * without an {@code Origin} (not from a browser) or from the notifier's own origin are always allowed
 * @param max open connections on this instance, all users and transports; one more is refused
 * with {@code 1013 try again later} (SSE: {@code 503} with {@code Retry-After}), so that a client
 * tries another instance or later, and the instance's memory stays bounded
 */
@ConfigurationProperties("inloop.notifier.connections")
public record ConnectionSettings(@DefaultValue("64") int queueCapacity, @DefaultValue("16") int maxPerUser,
		Duration pingInterval, Duration sweepInterval, DataSize maxInboundFrameSize, List<String> allowedOrigins,
		@DefaultValue("16384") int max) {

	public ConnectionSettings {
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("inloop.notifier.connections.queue-capacity must be at least 1");
		}
		if (max < 1) {
			throw new IllegalArgumentException("inloop.notifier.connections.max must be at least 1");
		}
		allowedOrigins = List.copyOf(allowedOrigins);
	}

}
