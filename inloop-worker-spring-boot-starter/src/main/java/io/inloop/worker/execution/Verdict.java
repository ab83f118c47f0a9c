package io.inloop.worker.execution;

import java.time.Instant;

import io.inloop.worker.handler.JobFailure;

/**
 * What becomes of a command once its attempt is over. The {@link JobRunner} decides it after the
 * attempt's last snapshot is written; {@link Settlement} alone turns it into the command's
 * acknowledgement to the share group.
 */
sealed interface Verdict {

	/** The job ended (succeeded, failed for good, cancelled) and its terminal snapshot is written. */
	record Done() implements Verdict {
	}

	/** The attempt failed and {@code RETRYING} is written: attempt {@code nextAttempt} runs at {@code at}. */
	record RetryAt(Instant at, int nextAttempt) implements Verdict {
	}

	/** The job failed with no attempts left (its {@code FAILED} is written), or its command is unreadable. */
	record DeadLetter(JobFailure failure) implements Verdict {
	}

	/** The attempt stopped before its end (the worker is stopping): another delivery runs the next attempt. */
	record HandBack(String reason) implements Verdict {
	}

}
