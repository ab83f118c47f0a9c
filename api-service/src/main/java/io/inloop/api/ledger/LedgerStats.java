package io.inloop.api.ledger;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The {@link QueueStats} of the jobs this instance's ledger tasks hold: each task's
 * {@link TaskStats} is here while the task runs on this instance, and leaves with it.
 */
@Component
public class LedgerStats {

	private final Set<TaskStats> tasks = ConcurrentHashMap.newKeySet();

	private final Clock clock;

	LedgerStats() {
		this(Clock.systemUTC());
	}

	LedgerStats(Clock clock) {
		this.clock = clock;
	}

	/** This instance's figures, to be added to the other instances'. */
	public QueueStats.Builder here() {
		QueueStats.Builder figures = QueueStats.builder();
		this.tasks.forEach((task) -> task.addTo(figures, this.clock.instant()));
		return figures;
	}

	public Clock clock() {
		return this.clock;
	}

	void started(TaskStats task) {
		this.tasks.add(task);
	}

	void stopped(TaskStats task) {
		this.tasks.remove(task);
	}

}
