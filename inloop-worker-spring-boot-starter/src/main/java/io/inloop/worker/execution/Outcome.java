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

	/** The worker is shutting down: no terminal snapshot, the command is redelivered elsewhere. */
	record HandedBack() implements Outcome {
	}

}
