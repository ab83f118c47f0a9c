package io.inloop.notifier.subscriptions;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the notifier keeps in memory to resume clients and show them their jobs.
 *
 * @param window latest frames kept per partition; an older cursor is served by reading the topic back
 * @param recentlyFinished how long a finished job stays among the snapshots a first connection gets
 * @param forgetAfter an unfinished job with no event for this long is forgotten (a job that runs
 * sends heartbeats); keep it at most {@code inloop.notifier.feed.horizon}
 * @param maxJobs most jobs whose latest frame is kept for snapshots, finished or not; past it the
 * job that finished first goes before its time (or, when none has, the one silent longest)
 */
@ConfigurationProperties("inloop.notifier.resume")
public record ResumeSettings(@DefaultValue("4096") int window, @DefaultValue("1h") Duration recentlyFinished,
		@DefaultValue("24h") Duration forgetAfter, @DefaultValue("100000") int maxJobs) {

	public ResumeSettings {
		if (window < 1 || maxJobs < 1) {
			throw new IllegalArgumentException("inloop.notifier.resume.window and max-jobs must be at least 1");
		}
	}

}
