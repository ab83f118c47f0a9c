package io.inloop.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A browser-like WebSocket client of the notifier that records every frame it receives. */
final class FrameRecorder implements WebSocket.Listener, AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final List<JsonNode> frames = new CopyOnWriteArrayList<>();

	private final StringBuilder partial = new StringBuilder();

	private final WebSocket socket;

	private FrameRecorder(URI uri) throws Exception {
		this.socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(uri, this)
			.get(10, TimeUnit.SECONDS);
	}

	/** Connects with the token in the {@code access_token} query parameter, as a browser would. */
	static FrameRecorder connect(URI webSocket, String token) throws Exception {
		return new FrameRecorder(URI.create(webSocket + "?access_token=" + token));
	}

	/** Opens the handshake; fails as the server refuses it. */
	static CompletableFuture<WebSocket> attempt(URI uri) {
		return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
		});
	}

	/** The {@code job} objects of the frames about {@code jobId}, in arrival order. */
	List<JsonNode> jobs(String jobId) {
		return this.frames.stream()
			.filter((frame) -> jobId.equals(frame.path("job").path("id").asString()))
			.map((frame) -> frame.get("job"))
			.toList();
	}

	List<JsonNode> frames() {
		return List.copyOf(this.frames);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		synchronized (this.partial) {
			this.partial.append(data);
			if (last) {
				this.frames.add(json.readTree(this.partial.toString()));
				this.partial.setLength(0);
			}
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public void close() {
		this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally((ex) -> null);
	}

}
