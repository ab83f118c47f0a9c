package io.inloop.notifier.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/** A real WebSocket client (the JDK's) that keeps every text message it receives. */
final class WebSocketClient implements WebSocket.Listener, AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<String> messages = new CopyOnWriteArrayList<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private @Nullable WebSocket socket;

	private volatile boolean paused;

	private volatile boolean waiting;

	/** Opens a connection; a refused handshake fails the join with a {@link WebSocketHandshakeException}. */
	static WebSocketClient connect(URI uri, Map<String, String> headers) {
		return open(uri, headers).join();
	}

	/** The HTTP status of a refused handshake. */
	static int refusedStatus(URI uri, Map<String, String> headers) {
		try {
			open(uri, headers).join().close();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException refused) {
				return refused.getResponse().statusCode();
			}
			throw ex;
		}
		throw new AssertionError("The handshake was accepted");
	}

	private static CompletableFuture<WebSocketClient> open(URI uri, Map<String, String> headers) {
		WebSocketClient client = new WebSocketClient();
		WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
		headers.forEach(builder::header);
		return builder.buildAsync(uri, client).thenApply((socket) -> {
			client.socket = socket;
			return client;
		});
	}

	/** Sends one text message, such as the auth frame. */
	void send(String text) {
		WebSocket open = this.socket;
		if (open == null) {
			throw new IllegalStateException("Not connected");
		}
		open.sendText(text, true).join();
	}

	List<String> messages() {
		return this.messages;
	}

	/** The job frames received so far, leaving out control frames. */
	List<String> jobMessages() {
		return this.messages.stream().filter((message) -> message.startsWith("{\"type\":\"job\"")).toList();
	}

	/** The close code the server sent, once it has closed the connection. */
	CompletableFuture<Integer> closed() {
		return this.closed;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.messages.add(this.partial.toString());
			this.partial.setLength(0);
		}
		requestNext(webSocket);
		return null;
	}

	/** Stops reading, like a client that hangs: the server's frames pile up in the network and on the server. */
	void pause() {
		this.paused = true;
	}

	/** Reads again. */
	synchronized void resume() {
		this.paused = false;
		WebSocket open = this.socket;
		if (open != null && this.waiting) {
			this.waiting = false;
			open.request(1);
		}
	}

	private synchronized void requestNext(WebSocket webSocket) {
		if (this.paused) {
			this.waiting = true;
		}
		else {
			webSocket.request(1);
		}
	}

	/** The frames received so far, as JSON. */
	List<tools.jackson.databind.JsonNode> frames() {
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		return this.messages.stream().map(json::readTree).toList();
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.completeExceptionally(error);
	}

	@Override
	public void close() {
		WebSocket open = this.socket;
		if (open != null && !open.isOutputClosed()) {
			// The JDK answers a server's close by itself, just after onClose: then there is nothing left to close.
			open.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null).join();
		}
	}

}
