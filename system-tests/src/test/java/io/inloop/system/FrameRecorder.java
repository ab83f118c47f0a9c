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

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A browser-like WebSocket client of the notifier that records every frame it receives. */
final class FrameRecorder implements WebSocket.Listener, AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** One client for every recorder: each JDK HttpClient has its own selector thread. */
	private static final HttpClient client = HttpClient.newHttpClient();

	private final List<JsonNode> frames = new CopyOnWriteArrayList<>();

	private final StringBuilder partial = new StringBuilder();

	private final WebSocket socket;

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	/** Connects as a browser does: the token in the first message, never in the URL. */
	private FrameRecorder(URI uri, String token) throws Exception {
		this.socket = client.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(uri, this)
			.get(10, TimeUnit.SECONDS);
		this.socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).get(10, TimeUnit.SECONDS);
	}

	/**
	 * Connects as a browser does, the token in the first message (never in the URL), and returns
	 * once the server says the stream is live: nothing published after that is missed.
	 */
	static FrameRecorder connect(URI webSocket, String token) throws Exception {
		FrameRecorder recorder = open(webSocket, token, null);
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> recorder.frames.stream().anyMatch((frame) -> frame.path("type").asString().equals("live")));
		return recorder;
	}

	/** As {@link #connect(URI, String)}, resuming after {@code cursor}. */
	static FrameRecorder resume(URI webSocket, String token, String cursor) throws Exception {
		FrameRecorder recorder = open(webSocket, token, cursor);
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> recorder.frames.stream().anyMatch((frame) -> frame.path("type").asString().equals("live")));
		return recorder;
	}

	/**
	 * Connects (resuming after {@code cursor} if not null) without waiting for the stream to be
	 * live, for opening many at once; {@link #isLive()} says when it is.
	 */
	static FrameRecorder open(URI webSocket, String token, @Nullable String cursor) throws Exception {
		return new FrameRecorder((cursor != null) ? URI.create(webSocket + "?since=" + cursor) : webSocket, token);
	}

	/** Opens a connection and sends {@code token} in its auth frame, without waiting for anything. */
	static FrameRecorder authenticating(URI webSocket, String token) throws Exception {
		return new FrameRecorder(webSocket, token);
	}

	/** The close code the server sent. */
	CompletableFuture<Integer> closed() {
		return this.closed;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		return null;
	}

	/** Whether the server has said the stream is live: nothing published after that is missed. */
	boolean isLive() {
		return this.frames.stream().anyMatch((frame) -> frame.path("type").asString().equals("live"));
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

	/** The frames about jobs, whatever job; control frames ({@code snapshot}, {@code live}, pings) left out. */
	List<JsonNode> jobFrames() {
		return this.frames.stream().filter((frame) -> frame.path("type").asString().equals("job")).toList();
	}

	/** The cursors of the frames about {@code jobId}, in arrival order. */
	List<String> cursors(String jobId) {
		return this.frames.stream()
			.filter((frame) -> jobId.equals(frame.path("job").path("id").asString()))
			.map((frame) -> frame.get("cursor").asString())
			.toList();
	}

	/** The cursors of every job frame, in arrival order: the last one is where to resume. */
	List<String> allCursors() {
		return jobFrames().stream().map((frame) -> frame.get("cursor").asString()).toList();
	}

	/** Closes and waits for the server's answer: no frame arrives after this returns. */
	void closeAndAwait() {
		close();
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(this.socket::isInputClosed);
	}

	/** {@code jobId}'s frames: from {@code QUEUED} to one {@code SUCCEEDED}, never failed or cancelled, no cursor twice. */
	void assertSucceededOnce(String jobId) {
		org.assertj.core.api.Assertions.assertThat(jobs(jobId))
			.extracting((frame) -> frame.get("state").asString())
			.as("the frames of %s", jobId)
			.startsWith("QUEUED")
			.containsOnlyOnce("SUCCEEDED")
			.doesNotContain("FAILED", "CANCELLED");
		org.assertj.core.api.Assertions.assertThat(cursors(jobId)).as("the cursors of %s, each once", jobId)
			.doesNotHaveDuplicates();
	}

	/** Whether the latest frame about {@code jobId} is in {@code state}. */
	boolean endsWith(String jobId, String state) {
		List<JsonNode> jobs = jobs(jobId);
		return !jobs.isEmpty() && jobs.get(jobs.size() - 1).get("state").asString().equals(state);
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
