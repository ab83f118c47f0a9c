package io.inloop.notifier.subscriptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.inloop.notifier.delivery.Cursor;
import io.inloop.notifier.delivery.JobFrame;
import io.inloop.schemas.JobState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionsTests {

	private final Subscriptions subscriptions = new Subscriptions();

	@Test
	void everyConnectionOfTheOwnerGetsTheSameFrameBytes() {
		List<Recording> alices = List.of(new Recording("alice"), new Recording("alice"), new Recording("alice"));
		Recording bob = new Recording("bob");
		alices.forEach(this.subscriptions::add);
		this.subscriptions.add(bob);
		JobFrame frame = frame("alice");

		this.subscriptions.on(frame);

		for (Recording alice : alices) {
			assertThat(alice.payloads).singleElement().as("serialised once, shared").isSameAs(frame.payload());
		}
		assertThat(bob.payloads).isEmpty();
	}

	@Test
	void removedConnectionGetsNothingMore() {
		Recording first = new Recording("alice");
		Recording second = new Recording("alice");
		this.subscriptions.add(first);
		this.subscriptions.add(second);

		this.subscriptions.remove(first);
		this.subscriptions.on(frame("alice"));

		assertThat(first.payloads).isEmpty();
		assertThat(second.payloads).hasSize(1);
		assertThat(this.subscriptions.connections("alice")).isOne();
		this.subscriptions.remove(second);
		assertThat(this.subscriptions.connections("alice")).isZero();
		assertThat(this.subscriptions.connections()).isZero();
	}

	@Test
	void failingConnectionDoesNotKeepTheFrameFromTheOthers() {
		Recording healthy = new Recording("alice");
		this.subscriptions.add(new Recording("alice") {

			@Override
			public void send(JobFrame frame) {
				throw new IllegalStateException("broken");
			}

		});
		this.subscriptions.add(healthy);

		this.subscriptions.on(frame("alice"));

		assertThat(healthy.payloads).hasSize(1);
	}

	@Test
	void stopShutsDownEveryConnection() {
		Recording alice = new Recording("alice");
		Recording bob = new Recording("bob");
		this.subscriptions.add(alice);
		this.subscriptions.add(bob);
		this.subscriptions.start();

		this.subscriptions.stop();

		assertThat(alice.shutDown).isTrue();
		assertThat(bob.shutDown).isTrue();
		assertThat(this.subscriptions.isRunning()).isFalse();
	}

	private static JobFrame frame(String owner) {
		return new JobFrame(owner, "job-1", JobState.RUNNING, new Cursor(1, 42),
				"{\"type\":\"job\"}".getBytes(StandardCharsets.UTF_8));
	}

	private static class Recording implements Connection {

		private final String owner;

		final List<byte[]> payloads = new ArrayList<>();

		boolean shutDown;

		Recording(String owner) {
			this.owner = owner;
		}

		@Override
		public String owner() {
			return this.owner;
		}

		@Override
		public void send(JobFrame frame) {
			this.payloads.add(frame.payload());
		}

		@Override
		public void shutDown() {
			this.shutDown = true;
		}

	}

}
