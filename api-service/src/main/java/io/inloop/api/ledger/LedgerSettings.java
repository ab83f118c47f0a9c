package io.inloop.api.ledger;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param stallAfter a RUNNING job silent for this long is reported STALLED (3 worker heartbeats)
 * @param stallCheckInterval how often running jobs are checked for silence
 * @param readYourWrites how long a just-submitted job is answered from memory until the ledger has it
 * @param progressInterval how often a running job's latest progress is published to
 * {@code inloop.jobs}; state changes are published at once
 */
@ConfigurationProperties("inloop.ledger")
public record LedgerSettings(@DefaultValue("15s") Duration stallAfter, @DefaultValue("1s") Duration stallCheckInterval,
		@DefaultValue("1m") Duration readYourWrites, @DefaultValue("100ms") Duration progressInterval) {
}
