package io.inloop.api.ledger;

import java.time.Instant;

/**
 * Keys of the ledger's stores. The job store: {@code <length of owner>:<owner>/<jobId>}; the length
 * prefix makes a prefix scan for one owner unable to reach another owner's jobs, whatever
 * characters names hold. The {@link #newestFirst newest-first index} puts an owner's jobs in
 * listing order, so that a list reads as many entries as it returns; the {@link #expiry expiry
 * index} puts finished jobs in the order they are due to leave the ledger.
 */
final class LedgerKeys {

	/** Milliseconds, zero-padded to the width of {@link Long#MAX_VALUE}, so that string order is time order. */
	private static final String MILLIS = "%019d";

	private LedgerKeys() {
	}

	static String of(String owner, String jobId) {
		return prefix(owner) + jobId;
	}

	/** Every key of {@code owner} starts with this, in the job store and in the newest-first index. */
	static String prefix(String owner) {
		return owner.length() + ":" + owner + "/";
	}

	/** The smallest string greater than every key that starts with {@link #prefix}. */
	static String afterPrefix(String owner) {
		return owner.length() + ":" + owner + "0";
	}

	/** The owner's jobs, newest submission first (then by job id): {@code <prefix><reversed millis>/<jobId>}. */
	static String newestFirst(String owner, Instant submittedAt, String jobId) {
		return prefix(owner) + MILLIS.formatted(Long.MAX_VALUE - submittedAt.toEpochMilli()) + "/" + jobId;
	}

	/** Finished jobs, the first to expire first: {@code <millis expires>/<job store key>}. */
	static String expiry(Instant expiresAt, String key) {
		return MILLIS.formatted(expiresAt.toEpochMilli()) + "/" + key;
	}

	/** The smallest string greater than every expiry key of jobs due at or before {@code now}. */
	static String afterExpiry(Instant now) {
		return MILLIS.formatted(now.toEpochMilli()) + "0";
	}

}
