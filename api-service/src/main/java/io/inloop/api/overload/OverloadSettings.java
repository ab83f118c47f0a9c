package io.inloop.api.overload;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much this instance takes on at once: an adaptive bound (additive increase, multiplicative
 * decrease) on the requests waiting for their answer, between {@code minInFlight} and
 * {@code maxInFlight}. It starts halfway; each answer quicker than {@code targetLatency}
 * while at least half the bound is in use raises it by one, and each slower one lowers it by a
 * tenth. So the bound follows what the instance can answer within the target, cold or warm, on a
 * fast machine or a busy one; one request more than the bound is answered {@code 503 overloaded}
 * with {@code Retry-After} at once.
 *
 * @param maxInFlight the most requests waiting for their answer at once (a stream counts until its
 * first byte; {@code /actuator/**} never counts); 0 turns the bound off
 * @param minInFlight the least the bound falls to, however slow the answers
 * @param targetLatency an answer slower than this (to its first byte) lowers the bound
 */
@ConfigurationProperties("inloop.api.overload")
record OverloadSettings(@DefaultValue("128") int maxInFlight, @DefaultValue("16") int minInFlight,
		@DefaultValue("1s") Duration targetLatency) {

	OverloadSettings {
		if (maxInFlight < 0 || minInFlight < 1 || (maxInFlight > 0 && minInFlight > maxInFlight)) {
			throw new IllegalArgumentException("inloop.api.overload: min-in-flight must be at least 1 and at most "
					+ "max-in-flight (0 turns the bound off), not " + minInFlight + " and " + maxInFlight);
		}
		if (targetLatency.isNegative() || targetLatency.isZero()) {
			throw new IllegalArgumentException("inloop.api.overload.target-latency must be positive");
		}
	}

}
