package io.inloop.api.ledger;

import io.inloop.schemas.JobLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/** What the ledger drops and detects, as metrics. */
@Component
class LedgerCounters {

	private final Counter stale;

	private final Counter afterTerminal;

	private final Counter stalled;

	private final Counter expired;

	private final Counter leasesExpired;

	LedgerCounters(MeterRegistry registry) {
		this.stale = Counter.builder("inloop.ledger.dropped")
			.description("Status events that did not advance their job")
			.tag("reason", "stale")
			.register(registry);
		this.afterTerminal = Counter.builder("inloop.ledger.dropped")
			.description("Status events that did not advance their job")
			.tag("reason", "after-terminal")
			.register(registry);
		this.stalled = Counter.builder("inloop.ledger.stalled")
			.description("Running jobs reported STALLED after their heartbeats stopped")
			.register(registry);
		this.expired = Counter.builder("inloop.ledger.expired")
			.description("Finished jobs removed from the ledger after their retention")
			.register(registry);
		this.leasesExpired = Counter.builder("inloop.ledger.leases.expired")
			.description("Stalled jobs that stayed silent past inloop.ledger.requeue-after: their next attempt is queued (or they fail)")
			.register(registry);
	}

	void dropped(JobLifecycle.Move move) {
		((move == JobLifecycle.Move.AFTER_TERMINAL) ? this.afterTerminal : this.stale).increment();
	}

	void expired() {
		this.expired.increment();
	}

	void stalled() {
		this.stalled.increment();
	}

	void leaseExpired() {
		this.leasesExpired.increment();
	}

}
