package io.inloop.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Waits for jobs to start and end, by id. A frame may arrive before the {@code POST} that
 * created its job has answered, so whoever comes first, frame or waiter, creates the future.
 */
public final class JobWatch implements Consumer<JobFrame> {

	private final ConcurrentHashMap<String, CompletableFuture<JobFrame>> terminals = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, CompletableFuture<JobFrame>> started = new ConcurrentHashMap<>();

	@Override
	public void accept(JobFrame frame) {
		if (frame.terminal()) {
			terminal(frame.jobId()).complete(frame);
		}
		else if ("RUNNING".equals(frame.state())) {
			started(frame.jobId()).complete(frame);
		}
	}

	/** Completes with the job's terminal frame. */
	public CompletableFuture<JobFrame> terminal(String jobId) {
		return this.terminals.computeIfAbsent(jobId, (id) -> new CompletableFuture<>());
	}

	/** Completes with the job's first {@code RUNNING} frame. */
	public CompletableFuture<JobFrame> started(String jobId) {
		return this.started.computeIfAbsent(jobId, (id) -> new CompletableFuture<>());
	}

	public void forget(String jobId) {
		this.terminals.remove(jobId);
		this.started.remove(jobId);
	}

}
