package io.inloop.api.ledger;

import java.time.Instant;

import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;

/**
 * Keys of the ledger's stores. The job store: {@code <length of owner>:<owner>/<jobId>}; the length
 * prefix makes a prefix scan for one owner unable to reach another owner's jobs, whatever
 * characters names hold. The {@link #newestFirst newest-first index} puts an owner's jobs in
 * listing order, so that a list reads as many entries as it returns; the {@link #expiry expiry
 * index} puts finished jobs in the order they are due to leave the ledger. The index across
 * owners holds, each in a key space of its own, every job by id ({@link #byId}) and newest first
 * overall ({@link #all}), per state ({@link #ofState}) and per type ({@link #ofType}), so that an
 * operator's list reads about what it returns, whoever owns the jobs.
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

	/** Every key of the index across owners that lists all jobs starts with this. */
	static String allPrefix() {
		return "all/";
	}

	/** Every key of the index across owners that lists the jobs in {@code state} starts with this. */
	static String statePrefix(JobState state) {
		return "state/" + state.name() + "/";
	}

	/** Every key of the index across owners that lists the jobs of {@code type} starts with this. */
	static String typePrefix(String type) {
		return "type/" + type.length() + ":" + type + "/";
	}

	/** A job by its id alone, to its key in the job store: {@code id/<jobId>}. */
	static String byId(String jobId) {
		return "id/" + jobId;
	}

	/** Every job, newest submission first: {@code all/<reversed millis>/<jobId>}. */
	static String all(JobStatusChanged job) {
		return newestFirstUnder(allPrefix(), job);
	}

	/** The jobs in the job's state, newest submission first: {@code state/<STATE>/<reversed millis>/<jobId>}. */
	static String ofState(JobStatusChanged job) {
		return newestFirstUnder(statePrefix(job.getState()), job);
	}

	/** The jobs of the job's type, newest submission first: {@code type/<length>:<type>/<reversed millis>/<jobId>}. */
	static String ofType(JobStatusChanged job) {
		return newestFirstUnder(typePrefix(job.getType()), job);
	}

	/** Under {@code prefix} (ending in '/'), the first key of a job submitted at or before {@code time}. */
	static String submittedAtOrBefore(String prefix, Instant time) {
		return prefix + MILLIS.formatted(Long.MAX_VALUE - time.toEpochMilli());
	}

	/** Under {@code prefix} (ending in '/'), a key after those of every job submitted at or after {@code time}. */
	static String afterSubmittedAtOrAfter(String prefix, Instant time) {
		return prefix + MILLIS.formatted(Long.MAX_VALUE - time.toEpochMilli()) + "0";
	}

	/** The smallest string greater than every key under {@code prefix} (ending in '/'). */
	static String afterAll(String prefix) {
		return prefix.substring(0, prefix.length() - 1) + "0";
	}

	private static String newestFirstUnder(String prefix, JobStatusChanged job) {
		return newestFirstUnder(prefix, job.getSubmittedAt(), job.getJobId());
	}

	/** Under {@code prefix} (ending in '/'), the key of a job newest first: {@code <prefix><reversed millis>/<jobId>}. */
	static String newestFirstUnder(String prefix, Instant submittedAt, String jobId) {
		return prefix + MILLIS.formatted(Long.MAX_VALUE - submittedAt.toEpochMilli()) + "/" + jobId;
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
