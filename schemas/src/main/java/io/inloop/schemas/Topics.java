package io.inloop.schemas;

/** The one place that names Inloop's Kafka topics. */
public final class Topics {

	/** {@link SubmitJob} commands, keyed by job id, consumed by the worker group. */
	public static final String JOB_COMMANDS = "inloop.job-commands";

	/** {@link CancelJob} commands, keyed by job id, read by every worker. */
	public static final String JOB_CONTROL = "inloop.job-control";

	/** {@link JobStatusChanged} snapshots, keyed by owner: the retained, replayable history. */
	public static final String JOB_STATUS = "inloop.job-status";

	/** Latest {@link JobStatusChanged} per job, keyed by job id, compacted: the ledger's changelog. */
	public static final String JOBS = "inloop.jobs";

	private static final String DEAD_LETTER_SUFFIX = "-dlt";

	private Topics() {
	}

	/** The dead-letter topic for records that could not be processed from {@code topic}. */
	public static String deadLetter(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

}
