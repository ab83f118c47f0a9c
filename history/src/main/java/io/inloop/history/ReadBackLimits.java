package io.inloop.history;

import java.time.Duration;

/**
 * How much reading back one instance does for its callers ({@link ReadBacks}); each service binds
 * it from its own settings (defaults in its {@code application.yml}).
 *
 * @param perUser read-backs one user (JWT {@code sub}) may have under way at once
 * @param perInstance read-backs under way at once on this instance, each on a thread of its own
 * @param maxRecords the most records one read-back may span (offsets from its start to its end,
 * whatever the filter selects); a larger one is refused before anything is read
 * @param maxDuration the longest a read-back may take, however slowly it is consumed; it then fails
 * @param retryAfter how long a refused caller is told to wait before it tries again
 */
public record ReadBackLimits(int perUser, int perInstance, long maxRecords, Duration maxDuration, Duration retryAfter) {

	public ReadBackLimits {
		if (perUser < 1 || perInstance < 1 || maxRecords < 1) {
			throw new IllegalArgumentException("Read-back limits must be at least 1");
		}
	}

}
