package io.inloop.notifier.rsocket;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the RSocket transport that Boot has no property for.
 *
 * @param maxInboundPayloadSize the largest frame, and payload, a service may send (setup with its
 * token, a request with its filter); a larger one closes the connection. Outbound payloads larger
 * than this are fragmented to it.
 */
@ConfigurationProperties("inloop.notifier.rsocket")
record RSocketSettings(DataSize maxInboundPayloadSize) {

	int maxInboundBytes() {
		return Math.toIntExact(this.maxInboundPayloadSize.toBytes());
	}

}
