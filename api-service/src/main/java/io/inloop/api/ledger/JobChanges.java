package io.inloop.api.ledger;

import io.inloop.schemas.JobStatusChanged;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Every change the ledger accepts, live, as it publishes it to {@code inloop.jobs}: a change of
 * state at once, a running job's progress at most every {@code inloop.ledger.progress-interval}.
 * For the operators' views across owners (the admin dashboard). The stream thread never waits: a
 * subscriber that does not keep up misses changes (best effort), which the list it came from
 * still has.
 */
@Component
public class JobChanges {

	private final Sinks.Many<JobStatusChanged> sink = Sinks.many().multicast().directBestEffort();

	/** Changes from now on, to whoever subscribes; none are kept for later subscribers. */
	public Flux<JobStatusChanged> live() {
		return this.sink.asFlux();
	}

	/** Called by the ledger's stream threads; serialised, as a sink takes one emitter at a time. */
	synchronized void published(JobStatusChanged job) {
		this.sink.tryEmitNext(job);
	}

}
