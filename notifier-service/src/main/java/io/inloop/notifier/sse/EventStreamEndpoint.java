package io.inloop.notifier.sse;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.history.Cursor;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.delivery.JobFrame;
import io.inloop.notifier.subscriptions.Audience;
import io.inloop.notifier.subscriptions.Caller;
import io.inloop.notifier.subscriptions.ConnectionClosedException;
import io.inloop.notifier.subscriptions.Connections;
import io.inloop.notifier.subscriptions.DeliveryMetrics;
import io.inloop.notifier.subscriptions.Subscriptions;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;

/**
 * {@code GET /events}: the same frames as {@code /ws}, as Server-Sent Events. The SSE framing
 * around a frame is a few bytes; the frame's JSON is the shared buffer, written as it is.
 */
final class EventStreamEndpoint {

	static final String PATH = "/events";

	private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

	private final Subscriptions subscriptions;

	private final Connections connections;

	private final DeliveryMetrics metrics;

	private final byte[] retry;

	EventStreamEndpoint(Subscriptions subscriptions, Connections connections, DeliveryMetrics metrics,
			long retryMillis) {
		this.connections = connections;
		this.metrics = metrics;
		this.subscriptions = subscriptions;
		this.retry = ("retry: " + retryMillis + "\n\n").getBytes(StandardCharsets.US_ASCII);
	}

	Mono<ServerResponse> events(ServerRequest request) {
		return request.principal().flatMap((principal) -> {
			Caller caller = Caller.of(principal);
			Cursor since;
			try {
				since = since(request);
			}
			catch (IllegalArgumentException ex) {
				return ServerResponse.badRequest()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.bodyValue("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
							+ "\"detail\":\"Not a cursor\",\"instance\":\"" + PATH + "\"}");
			}
			if (this.connections.isFull()) {
				return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.header(HttpHeaders.RETRY_AFTER, "1")
					.bodyValue("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
							+ "\"detail\":\"This instance holds as many connections as it takes; try again later\",\"instance\":\""
							+ PATH + "\"}");
			}
			if (!this.connections.hasRoomFor(caller.subject())) {
				return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.bodyValue("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
							+ "\"detail\":\"Too many connections\",\"instance\":\"" + PATH + "\"}");
			}
			return ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.header("Cache-Control", "no-store")
				// Proxies such as nginx would otherwise buffer the stream.
				.header("X-Accel-Buffering", "no")
				.build((exchange, context) -> {
					Flux<Frame> frames = this.metrics.observe("sse", this.subscriptions.stream(caller,
							Audience.of(caller.subject()), since, writability(exchange)));
					DataBufferFactory buffers = exchange.getResponse().bufferFactory();
					Flux<Flux<DataBuffer>> events = frames.map((frame) -> event(buffers, frame))
						.onErrorResume(ConnectionClosedException.class, (ex) -> Flux.just(event(buffers,
								ControlFrame.closed(ex.reason().code(), ex.reason().text()))));
					// The retry hint first: it also sends the headers at once.
					return exchange.getResponse()
						.writeAndFlushWith(Flux.<Flux<DataBuffer>>just(Flux.just(buffers.wrap(this.retry))).concatWith(events));
				});
		});
	}

	/** Reactor Netty asks for more whatever its outbound buffer holds; the channel knows when it is full. */
	private static BooleanSupplier writability(ServerWebExchange exchange) {
		if (ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse()) instanceof NettyOutbound out) {
			Channel[] channel = new Channel[1];
			out.withConnection((connection) -> channel[0] = connection.channel());
			Channel open = channel[0];
			if (open != null) {
				return open::isWritable;
			}
		}
		return () -> true;
	}

	/** {@code Last-Event-ID} (an {@code EventSource} reconnecting) wins over {@code ?since=}. */
	private static @Nullable Cursor since(ServerRequest request) {
		String lastEventId = request.headers().firstHeader("Last-Event-ID");
		String since = (lastEventId != null && !lastEventId.isBlank()) ? lastEventId
				: request.queryParam("since").orElse(null);
		return (since != null && !since.isBlank()) ? Cursor.parse(since.trim()) : null;
	}

	private static Flux<DataBuffer> event(DataBufferFactory buffers, Frame frame) {
		if (frame == ControlFrame.PING) {
			return Flux.just(buffers.wrap(PING));
		}
		String head = (frame instanceof JobFrame job) ? "id: " + job.cursor() + "\nevent: job\ndata: "
				: "event: " + frame.type() + "\ndata: ";
		return Flux.just(buffers.wrap(head.getBytes(StandardCharsets.US_ASCII)), buffers.wrap(frame.payload()),
				buffers.wrap(END));
	}

}
