package io.inloop.worker.execution;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * One scheduler thread for every running job's heartbeats and timeout, and the shutdown grace:
 * its tasks only publish a snapshot or signal a job, so one thread keeps up with many jobs.
 */
@Component
class Timers implements DisposableBean {

	private final ScheduledThreadPoolExecutor scheduler;

	Timers() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("job-timer-");
		threads.setDaemon(true);
		this.scheduler = new ScheduledThreadPoolExecutor(1, threads);
		// Most timeouts are cancelled long before they are due: don't keep them queued
		this.scheduler.setRemoveOnCancelPolicy(true);
	}

	ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return this.scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
