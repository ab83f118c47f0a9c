package io.inloop.api.ledger;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * @param stallAfter a RUNNING job silent for this long is reported STALLED (3 worker heartbeats)
 * @param requeueAfter a STALLED job silent for this long more has lost its lease: its next attempt
 * is queued once and the silent attempt fenced (or, with no attempts left, the job fails with
 * {@code worker-lost}); a worker that was only slow and reports again before then keeps its job
 * @param stallCheckInterval how often running jobs are checked for silence
 * @param readYourWrites how long a just-submitted job is answered from memory until the ledger has it
 * @param progressInterval how often a running job's latest progress is published to
 * {@code inloop.jobs}; state changes are published at once
 * @param retention how long a finished job stays in the ledger after it finished: then it leaves
 * the store, {@code GET /api/jobs} and (as a tombstone) {@code inloop.jobs}
 * @param retentionCheckInterval how often finished jobs are checked for expiry
 * @param readYourWritesMax just-submitted jobs held in memory at most, the oldest dropped first
 * (they are in the ledger long before in any healthy system)
 * @param maxOpenFilesPerStore files each of the ledger's RocksDB stores (4 per partition) keeps
 * open at most; past it the least used are closed and opened again when read
 * @param advertisedAddress {@code host:port} at which the other api-service instances reach this
 * one (Kafka Streams' {@code application.server}): a request for an owner whose ledger partition
 * this instance does not hold is forwarded to the instance that advertised it
 * @param forwardTimeout how long a request forwarded to the instance that holds its owner's
 * partition may take to connect and between reads of its answer; past it the caller gets 503
 * with {@code Retry-After}
 */
@ConfigurationProperties("inloop.ledger")
public record LedgerSettings(@DefaultValue("15s") Duration stallAfter, @DefaultValue("15s") Duration requeueAfter,
		@DefaultValue("1s") Duration stallCheckInterval,
		@DefaultValue("1m") Duration readYourWrites, @DefaultValue("100ms") Duration progressInterval,
		@DefaultValue("7d") Duration retention, @DefaultValue("1m") Duration retentionCheckInterval,
		@DefaultValue("100000") int readYourWritesMax, @DefaultValue("32") int maxOpenFilesPerStore,
		@DefaultValue("localhost:8080") String advertisedAddress, @DefaultValue("5s") Duration forwardTimeout) {

	public LedgerSettings {
		Assert.isTrue(stallAfter.toMillis() > 0, "inloop.ledger.stall-after must be positive");
		Assert.isTrue(!requeueAfter.isNegative(), "inloop.ledger.requeue-after must not be negative");
		Assert.isTrue(retention.toMillis() > 0, "inloop.ledger.retention must be positive");
		Assert.isTrue(retentionCheckInterval.toMillis() > 0, "inloop.ledger.retention-check-interval must be positive");
		Assert.isTrue(readYourWritesMax >= 1, "inloop.ledger.read-your-writes-max must be at least 1");
		// RocksDB takes -1 as "no bound" and needs some files of its own besides the tables.
		Assert.isTrue(maxOpenFilesPerStore >= 8, "inloop.ledger.max-open-files-per-store must be at least 8");
		Assert.isTrue(advertisedAddress.matches("[^\\s:]+:\\d{1,5}"), "inloop.ledger.advertised-address must be host:port");
		Assert.isTrue(forwardTimeout.toMillis() > 0, "inloop.ledger.forward-timeout must be positive");
	}

}
