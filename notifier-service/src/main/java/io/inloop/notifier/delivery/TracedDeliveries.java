package io.inloop.notifier.delivery;

import java.nio.charset.StandardCharsets;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Continues the submitting request's trace (the {@code traceparent} the worker's record carries)
 * for the notifier's delivery log line, so one trace id is seen from the HTTP request to here.
 * Only sampled traces, or a DEBUG log, pay for a span: the feed's hot path stays free of it.
 */
final class TracedDeliveries implements DeliveryObserver {

	private static final Log logger = LogFactory.getLog(TracedDeliveries.class);

	private static final Propagator.Getter<Headers> HEADERS = (headers, key) -> {
		Header header = headers.lastHeader(key);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	};

	private final Tracer tracer;

	private final Propagator propagator;

	TracedDeliveries(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public void delivered(ConsumerRecord<byte[], byte[]> record, JobFrame frame) {
		if (!logger.isDebugEnabled() && !sampled(record.headers())) {
			return;
		}
		Span span = this.propagator.extract(record.headers(), HEADERS).name("deliver " + frame.state()).start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			if (logger.isDebugEnabled()) {
				logger.debug("Delivering job " + frame.jobId() + " (" + frame.state() + ") at " + frame.cursor());
			}
		}
		finally {
			span.end();
		}
	}

	// W3C traceparent "00-<trace>-<span>-<flags>": flags 01 means the submitter's trace is sampled.
	private static boolean sampled(Headers headers) {
		String traceparent = HEADERS.get(headers, "traceparent");
		return traceparent != null && traceparent.endsWith("-01");
	}

}
