package io.inloop.api.ledger;

/**
 * Keys of the ledger store: {@code <length of owner>:<owner>/<jobId>}. The length prefix makes a
 * prefix scan for one owner unable to reach another owner's jobs, whatever characters names hold.
 */
final class LedgerKeys {

	private LedgerKeys() {
	}

	static String of(String owner, String jobId) {
		return prefix(owner) + jobId;
	}

	/** Every key of {@code owner} starts with this. */
	static String prefix(String owner) {
		return owner.length() + ":" + owner + "/";
	}

	/** The smallest string greater than every key that starts with {@link #prefix}. */
	static String afterPrefix(String owner) {
		return owner.length() + ":" + owner + "0";
	}

}
