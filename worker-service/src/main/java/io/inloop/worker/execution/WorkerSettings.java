package io.inloop.worker.execution;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * How this worker instance runs jobs.
 *
 * @param concurrency jobs run at once by this instance (consumer threads of the command
 * topic); more than its partition count leaves threads idle
 */
@ConfigurationProperties("inloop.worker")
public record WorkerSettings(int concurrency) {

	public WorkerSettings {
		Assert.isTrue(concurrency >= 1, "inloop.worker.concurrency must be at least 1");
	}

}
