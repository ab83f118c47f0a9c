package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Keeps a running job's owner informed while its handler is silent: a job that has published
 * nothing for {@code heartbeat-interval} publishes its current snapshot again, as {@code RUNNING}
 * with the next sequence. Each job has one pending timer task on the shared {@link Timers}.
 */
@Component
class Heartbeats {

	private final Timers timers;

	private final Duration interval;

	Heartbeats(Timers timers, WorkerSettings settings) {
		this.timers = timers;
		this.interval = settings.heartbeatInterval();
	}

	/** @return stops the job's heartbeats */
	Runnable start(RunningJob job) {
		Beat beat = new Beat(job);
		beat.scheduleIn(this.interval);
		return beat::stop;
	}

	private final class Beat implements Runnable {

		private final RunningJob job;

		private @Nullable ScheduledFuture<?> next;

		private boolean stopped;

		Beat(RunningJob job) {
			this.job = job;
		}

		@Override
		public void run() {
			Instant due = this.job.heartbeatIfSilentFor(Heartbeats.this.interval);
			if (due != null) {
				scheduleIn(Duration.between(Instant.now(), due));
			}
		}

		synchronized void scheduleIn(Duration delay) {
			if (!this.stopped) {
				this.next = Heartbeats.this.timers.schedule(this, delay);
			}
		}

		synchronized void stop() {
			this.stopped = true;
			if (this.next != null) {
				this.next.cancel(false);
			}
		}

	}

}
