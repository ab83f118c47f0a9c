package io.inloop.worker.handler;

/**
 * The worker has asked the attempt to stop: its job was cancelled, ran past its timeout, or the
 * worker is shutting down. Thrown by {@link JobContext#checkCancelled()} and by reports made
 * after that point; let it propagate, and the worker records what really happened.
 */
public class JobCancelledException extends RuntimeException {

	public JobCancelledException(String jobId) {
		super("Job " + jobId + " was asked to stop");
	}

}
