package io.inloop.bench.report;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/** Latency histograms in microseconds, up to a minute, three significant digits. */
public final class Latencies {

	private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

	private Latencies() {
	}

	public static Histogram histogram() {
		return new Histogram(HIGHEST_MICROS, 3);
	}

	/** Records the time between two {@link System#nanoTime()} readings, capped at a minute. */
	public static void record(Histogram histogram, long startNanos, long endNanos) {
		long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(endNanos - startNanos));
		histogram.recordValue(Math.min(micros, HIGHEST_MICROS));
	}

	public static double millis(long micros) {
		return Math.round(micros / 10.0) / 100.0;
	}

}
