package io.inloop.api.overload;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much this instance takes on at once.
 *
 * @param maxInFlight requests waiting for their answer at once (a stream counts until its first
 * byte; {@code /actuator/**} never counts); one more is answered {@code 503 overloaded} with
 * {@code Retry-After} at once. 0 turns the bound off.
 */
@ConfigurationProperties("inloop.api.overload")
record OverloadSettings(@DefaultValue("256") int maxInFlight) {

	OverloadSettings {
		if (maxInFlight < 0) {
			throw new IllegalArgumentException("inloop.api.overload.max-in-flight must be 0 (no bound) or more");
		}
	}

}
