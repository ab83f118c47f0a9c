package io.inloop.notifier.subscriptions;

import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * The one timer of every connection: each {@link ConnectionSettings#sweepInterval() sweep} closes
 * the connections whose token has expired, pings the share of connections whose turn it is (each
 * connection once per {@link ConnectionSettings#pingInterval() ping interval}, spread over its
 * sweeps so that 19,000 pings are not one burst), retries connections whose frames wait, and now
 * and then lets {@link Subscriptions} forget old jobs. On stop, every connection is closed with
 * {@link CloseReason#GOING_AWAY}.
 */
@Component
class ConnectionSweep implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConnectionSweep.class);

	private static final long FORGET_INTERVAL_MILLIS = 60_000;

	private final Connections connections;

	private final Subscriptions subscriptions;

	private final long intervalMillis;

	private final int slots;

	private long tick;

	private long lastForget = System.currentTimeMillis();

	private volatile @Nullable Disposable sweeper;

	ConnectionSweep(Connections connections, Subscriptions subscriptions, ConnectionSettings settings) {
		this.connections = connections;
		this.subscriptions = subscriptions;
		this.intervalMillis = settings.sweepInterval().toMillis();
		this.slots = (int) Math.max(1, settings.pingInterval().toMillis() / this.intervalMillis);
	}

	/** One sweep at {@code now} (epoch milliseconds). */
	void sweep(long now) {
		int due = (int) (this.tick++ % this.slots);
		this.connections.forEach((connection) -> {
			if (connection.hasExpired(now)) {
				connection.close(CloseReason.TOKEN_EXPIRED);
			}
			else if (connection.slot() % this.slots == due) {
				connection.ping();
			}
			else {
				connection.flush();
			}
		});
		if (now - this.lastForget >= FORGET_INTERVAL_MILLIS) {
			this.lastForget = now;
			this.subscriptions.forget(now);
		}
	}

	@Override
	public void start() {
		this.sweeper = Schedulers.single()
			.schedulePeriodically(this::sweepSafely, this.intervalMillis, this.intervalMillis, TimeUnit.MILLISECONDS);
	}

	private void sweepSafely() {
		try {
			sweep(System.currentTimeMillis());
		}
		catch (RuntimeException ex) {
			logger.warn("Sweeping connections failed", ex);
		}
	}

	@Override
	public void stop() {
		Disposable running = this.sweeper;
		this.sweeper = null;
		if (running != null) {
			running.dispose();
		}
		this.connections.forEach((connection) -> connection.close(CloseReason.GOING_AWAY));
	}

	@Override
	public boolean isRunning() {
		return this.sweeper != null;
	}

}
