package io.inloop.worker.execution;

import org.jspecify.annotations.Nullable;

import io.inloop.worker.handler.JobFailure;

/** How an attempt ended, whoever ended it first: the handler, the timeout, a cancellation or shutdown. */
sealed interface Outcome {

	/** The handler returned its result. */
	record Returned(@Nullable Object result) implements Outcome {
	}

	/** The handler failed, or the attempt ran past its timeout. */
	record Failed(JobFailure failure) implements Outcome {
	}

	/** The job's owner cancelled it (or its handler gave up with a cancellation). */
	record Cancelled() implements Outcome {
	}

	/**
	 * The worker is shutting down and the job did not finish within the grace: no terminal snapshot;
	 * the worker queues the job's next attempt for another worker.
	 */
	record HandedBack() implements Outcome {
	}

	/**
	 * The attempt is no longer this worker's: its lease was fenced (its heartbeats stopped reaching
	 * the ledger, which queued the next attempt), or its {@code RUNNING} could not be written, so its
	 * command is released. Nothing more is written for it.
	 */
	record Abandoned(String reason) implements Outcome {
	}

}
