package io.inloop.notifier.sse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/** A real SSE client over the JDK's HTTP client: parses the stream as an EventSource does. */
final class EventStreamClient implements Flow.Subscriber<String>, AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private volatile Flow.@Nullable Subscription subscription;

	private volatile @Nullable Stream<String> lines;

	private @Nullable String id;

	private @Nullable String event;

	private final StringBuilder data = new StringBuilder();

	/** Opens the stream; the response's status and headers as they came. */
	static Opened open(URI uri, Map<String, String> headers) {
		EventStreamClient client = new EventStreamClient();
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
		headers.forEach(request::header);
		try {
			HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
			client.lines = response.body();
			Thread reader = new Thread(() -> {
				try {
					response.body().forEach(client::onNext);
				}
				catch (RuntimeException ex) {
					// Closed.
				}
			}, "event-stream-client");
			reader.setDaemon(true);
			reader.start();
			return new Opened(response, client);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	List<Event> events() {
		return this.events;
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		subscription.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(String line) {
		if (line.isEmpty()) {
			if (this.event != null || this.data.length() > 0) {
				this.events.add(new Event(this.id, (this.event != null) ? this.event : "message", this.data.toString()));
			}
			this.id = null;
			this.event = null;
			this.data.setLength(0);
		}
		else if (line.startsWith("id: ")) {
			this.id = line.substring(4);
		}
		else if (line.startsWith("event: ")) {
			this.event = line.substring(7);
		}
		else if (line.startsWith("data: ")) {
			this.data.append(line.substring(6));
		}
	}

	@Override
	public void onError(Throwable error) {
	}

	@Override
	public void onComplete() {
	}

	@Override
	public void close() {
		Stream<String> current = this.lines;
		if (current != null) {
			current.close();
		}
	}

	record Event(@Nullable String id, String type, String data) {
	}

	record Opened(HttpResponse<?> response, EventStreamClient client) {
	}

}
