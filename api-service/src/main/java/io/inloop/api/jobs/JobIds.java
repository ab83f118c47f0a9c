package io.inloop.api.jobs;

import java.security.SecureRandom;
import java.util.UUID;

/** Time-ordered UUIDs (version 7 layout), so job ids sort by submission time. */
final class JobIds {

	private static final SecureRandom random = new SecureRandom();

	private JobIds() {
	}

	static String next() {
		long millis = System.currentTimeMillis();
		long most = (millis << 16) | 0x7000L | (random.nextInt() & 0x0fffL);
		long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

}
