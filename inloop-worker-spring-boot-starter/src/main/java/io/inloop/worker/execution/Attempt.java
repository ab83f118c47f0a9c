package io.inloop.worker.execution;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * An attempt as its {@link CommandFetcher} sees it. {@code acknowledgement}: how its command is
 * acknowledged to the share group, known within milliseconds: {@code ACCEPT} once the attempt has
 * durably started (its {@code RUNNING} is written, or its end if it never runs), {@code REJECT}
 * once the command is dead-lettered, {@code RELEASE} when nothing could be written (another
 * delivery takes it). {@code over}: completes when the attempt is over on this worker, which
 * frees its job slot.
 */
record Attempt(CompletableFuture<AcknowledgeType> acknowledgement, CompletableFuture<?> over) {

	/** An attempt that ends as it starts: acknowledged {@code onceWritten} when {@code written} is, else released. */
	static Attempt ended(CompletableFuture<?> written, AcknowledgeType onceWritten) {
		CompletableFuture<AcknowledgeType> acknowledgement = written
			.handle((done, ex) -> (ex != null) ? AcknowledgeType.RELEASE : onceWritten);
		return new Attempt(acknowledgement, acknowledgement);
	}

	/** A command this worker does not start (it is stopping): another delivery runs it. */
	static Attempt released() {
		CompletableFuture<AcknowledgeType> release = CompletableFuture.completedFuture(AcknowledgeType.RELEASE);
		return new Attempt(release, release);
	}

}
