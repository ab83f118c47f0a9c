package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Continues the submitting request's trace in a job's attempt: the command's headers carry it
 * ({@code traceparent}); the attempt's span is put in scope wherever the attempt logs or publishes,
 * so its log lines and its snapshots' headers carry the same trace id, whichever thread they run on.
 */
@Component
class JobTracing {

	private final Tracer tracer;

	private final Propagator propagator;

	JobTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
		this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
	}

	/** A started span for an attempt of the command with these headers, a child of its trace if it has one. */
	Span attemptOf(Headers headers) {
		return this.propagator.extract(headers, JobTracing::header).name("job attempt").kind(Span.Kind.CONSUMER).start();
	}

	/** Puts the span in scope on this thread until the returned scope is closed. */
	Tracer.SpanInScope inScope(Span span) {
		return this.tracer.withSpan(span);
	}

	private static String header(Headers headers, String key) {
		Header header = headers.lastHeader(key);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
