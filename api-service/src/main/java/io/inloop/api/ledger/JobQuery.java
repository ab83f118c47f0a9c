package io.inloop.api.ledger;

import java.time.Instant;

import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs an operator lists across owners: every filter optional; {@code from} and {@code to}
 * bound the submission time (both inclusive); {@code after} is the cursor of the page before.
 */
public record JobQuery(@Nullable JobState state, @Nullable String type, @Nullable String owner, @Nullable Instant from,
		@Nullable Instant to, int limit, @Nullable String after) {

	boolean matches(JobStatusChanged job) {
		return (this.state == null || job.getState() == this.state)
				&& (this.type == null || job.getType().equals(this.type))
				&& (this.owner == null || job.getOwner().equals(this.owner))
				&& (this.from == null || !job.getSubmittedAt().isBefore(this.from))
				&& (this.to == null || !job.getSubmittedAt().isAfter(this.to));
	}

	/**
	 * The index key space that serves this query best: the owner's jobs, else those in the state,
	 * else those of the type, else all; the other filters are checked on each job read.
	 */
	String indexPrefix() {
		if (this.owner != null) {
			return LedgerKeys.prefix(this.owner);
		}
		if (this.state != null) {
			return LedgerKeys.statePrefix(this.state);
		}
		if (this.type != null) {
			return LedgerKeys.typePrefix(this.type);
		}
		return LedgerKeys.allPrefix();
	}

}
