package io.inloop.notifier.subscriptions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.notifier.delivery.Frame;
import io.inloop.history.ReadBackLimits;
import io.inloop.history.ReadBacks;
import io.inloop.notifier.delivery.StatusHistory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;


import static org.assertj.core.api.Assertions.assertThat;

/** The one timer of all connections: pings spread over the interval, expired tokens closed. */
class ConnectionSweepTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Connections connections = new Connections(new ConnectionSettings(8, 4, Duration.ofSeconds(25),
			Duration.ofSeconds(1), DataSize.ofKilobytes(4), List.of(), 16384), this.meters);

	private final Subscriptions subscriptions = new Subscriptions(this.connections,
			new StatusHistory("inloop.job-status", () -> {
				throw new AssertionError("No read-back expected");
			}, new ReadBacks(new ReadBackLimits(1, 1, 1, Duration.ofMinutes(1), Duration.ofSeconds(5)), "read-back-test",
				Duration.ofMillis(100))),
			new ResumeSettings(16, Duration.ofHours(1), Duration.ofHours(24), 100_000), this.meters);

	private final ConnectionSweep sweep = new ConnectionSweep(this.connections, this.subscriptions,
			new ConnectionSettings(8, 4, Duration.ofSeconds(25), Duration.ofSeconds(1), DataSize.ofKilobytes(4),
					List.of(), 16384));

	@Test
	void everyConnectionIsPingedOncePerIntervalAndNoSweepPingsMoreThanItsShare() {
		List<RecordingSink> sinks = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			sinks.add(open("user-" + i, Instant.now().plusSeconds(3600)));
		}
		long now = System.currentTimeMillis();
		List<Integer> pingsPerSweep = new ArrayList<>();
		for (int sweep = 0; sweep < 25; sweep++) {
			int before = sinks.stream().mapToInt((sink) -> sink.pings.get()).sum();
			this.sweep.sweep(now + sweep * 1000L);
			pingsPerSweep.add(sinks.stream().mapToInt((sink) -> sink.pings.get()).sum() - before);
		}
		assertThat(sinks).allSatisfy((sink) -> assertThat(sink.pings.get()).isEqualTo(1));
		assertThat(pingsPerSweep).allSatisfy((pings) -> assertThat(pings).isEqualTo(4));
	}

	@Test
	void aConnectionWhoseTokenExpiredIsClosedByTheNextSweep() {
		RecordingSink expired = open("erin", Instant.now().minusSeconds(1));
		RecordingSink valid = open("frank", Instant.now().plusSeconds(3600));
		this.sweep.sweep(System.currentTimeMillis());
		assertThat(expired.closed).isEqualTo(CloseReason.TOKEN_EXPIRED);
		assertThat(valid.closed).isNull();
	}

	@Test
	void stoppingClosesEveryConnectionAsGoingAway() {
		RecordingSink sink = open("gina", Instant.now().plusSeconds(3600));
		this.sweep.start();
		this.sweep.stop();
		assertThat(sink.closed).isEqualTo(CloseReason.GOING_AWAY);
	}

	private RecordingSink open(String user, Instant expiresAt) {
		Connection connection = this.subscriptions.open(new Caller(user, expiresAt, false), Audience.of(user));
		assertThat(connection).isNotNull();
		this.subscriptions.positioned(0, 1, 0);
		this.subscriptions.catchUp(connection, null).blockLast();
		RecordingSink sink = new RecordingSink();
		connection.attach(sink);
		return sink;
	}

	private static final class RecordingSink implements FrameSink {

		final AtomicInteger pings = new AtomicInteger();

		volatile @Nullable CloseReason closed;

		@Override
		public boolean ready() {
			return true;
		}

		@Override
		public void send(Frame frame) {
			if (frame == ControlFrame.PING) {
				this.pings.incrementAndGet();
			}
		}

		@Override
		public void close(CloseReason reason) {
			this.closed = reason;
		}

	}

}
