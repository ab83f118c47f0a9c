package io.inloop.api.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.inloop.schemas.JobStatusChanged;
import org.jspecify.annotations.Nullable;

/**
 * Jobs this instance accepted that the ledger may not have processed yet (read your writes), per
 * owner, so that a list looks at its owner's only. Bounded: each leaves once the ledger is seen to
 * have it, or when its time is up, or when {@code max} newer ones came after it, whichever is first;
 * every submission drops the ones whose time is up, so an owner who never reads again leaves none.
 */
final class RecentSubmissions {

	private final Duration ttl;

	private final int max;

	private final Clock clock;

	/** Owner to store key to job. */
	private final Map<String, Map<String, JobStatusChanged>> byOwner = new ConcurrentHashMap<>();

	/** In the order they were added: the oldest, the first to go, at the head. Guarded by itself. */
	private final ArrayDeque<Added> order = new ArrayDeque<>();

	private final AtomicInteger size = new AtomicInteger();

	RecentSubmissions(Duration ttl, int max, Clock clock) {
		this.ttl = ttl;
		this.max = max;
		this.clock = clock;
	}

	void add(JobStatusChanged queued) {
		Instant now = this.clock.instant();
		String key = LedgerKeys.of(queued.getOwner(), queued.getJobId());
		if (this.byOwner.computeIfAbsent(queued.getOwner(), (owner) -> new ConcurrentHashMap<>())
			.put(key, queued) == null) {
			this.size.incrementAndGet();
		}
		synchronized (this.order) {
			this.order.add(new Added(queued.getOwner(), key, now.plus(this.ttl)));
		}
		dropExpired(now);
	}

	/** The job if it was accepted here lately, its time not up. */
	@Nullable JobStatusChanged get(String owner, String key) {
		dropExpired(this.clock.instant());
		Map<String, JobStatusChanged> jobs = this.byOwner.get(owner);
		return (jobs != null) ? jobs.get(key) : null;
	}

	/** The owner's jobs accepted here lately, their time not up. */
	Collection<Map.Entry<String, JobStatusChanged>> of(String owner) {
		dropExpired(this.clock.instant());
		Map<String, JobStatusChanged> jobs = this.byOwner.get(owner);
		return (jobs != null) ? List.copyOf(jobs.entrySet()) : List.of();
	}

	/** The ledger has it: memory need not answer for it any more. */
	void stored(String owner, String key) {
		remove(owner, key);
	}

	int size() {
		return this.size.get();
	}

	private void dropExpired(Instant now) {
		synchronized (this.order) {
			for (Added oldest = this.order.peek(); oldest != null
					&& (!oldest.expiresAt().isAfter(now) || this.order.size() > this.max); oldest = this.order.peek()) {
				this.order.poll();
				remove(oldest.owner(), oldest.key());
			}
		}
	}

	private void remove(String owner, String key) {
		this.byOwner.computeIfPresent(owner, (name, jobs) -> {
			if (jobs.remove(key) != null) {
				this.size.decrementAndGet();
			}
			return jobs.isEmpty() ? null : jobs;
		});
	}

	private record Added(String owner, String key, Instant expiresAt) {

	}

}
