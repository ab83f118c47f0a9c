package io.inloop.bench.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A running Inloop stack as its clients see it: the API over HTTP/1.1 and the notifier's
 * WebSocket, every connection multiplexed on the JDK client's one selector thread.
 */
public final class InloopStack implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final URI api;

	private final URI webSocket;

	private final JsonMapper json = JsonMapper.builder().build();

	private final FrameParser frames = new FrameParser(this.json);

	private final ExecutorService executor;

	private final HttpClient http;

	private final @Nullable LocalTokens tokens;

	private final SocketDialect dialect;

	private final AtomicInteger refused = new AtomicInteger();

	/** The longest any one {@code POST /api/jobs} exchange took, accepted or refused, in nanoseconds. */
	private final java.util.concurrent.atomic.AtomicLong slowestAnswer = new java.util.concurrent.atomic.AtomicLong();

	/** {@code POST /api/jobs} exchanges answered after more than {@link #SLOW_ANSWER}. */
	private final AtomicInteger slowAnswers = new AtomicInteger();

	/** What an overloaded API must still answer within. */
	public static final java.time.Duration SLOW_ANSWER = java.time.Duration.ofSeconds(5);

	public InloopStack(URI api, URI webSocket) {
		this(api, webSocket, null, SocketDialect.INLOOP);
	}

	/**
	 * With {@code tokens}, tokens are signed here instead of asked of api-service; the sockets speak
	 * {@code dialect}.
	 */
	public InloopStack(URI api, URI webSocket, @Nullable LocalTokens tokens, SocketDialect dialect) {
		this.tokens = tokens;
		this.dialect = dialect;
		this.api = api;
		this.webSocket = webSocket;
		// The load generator shares two cores with the stack: two threads run every callback.
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "bench-client-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.executor(this.executor)
			.build();
	}

	public JsonMapper json() {
		return this.json;
	}

	/** The notifier's HTTP base, derived from its WebSocket URI. */
	public URI notifierHttp() {
		return notifierHttp(this.webSocket);
	}

	/** A notifier's HTTP base, derived from its WebSocket URI. */
	public static URI notifierHttp(URI webSocket) {
		String scheme = "wss".equals(webSocket.getScheme()) ? "https" : "http";
		return URI.create(scheme + "://" + webSocket.getAuthority());
	}

	/** A dev token ({@code POST /api/dev/tokens}, local mode only). */
	public CompletableFuture<String> mintToken(String user, List<String> scopes) {
		if (this.tokens != null) {
			return CompletableFuture.completedFuture(this.tokens.sign(user, scopes));
		}
		ObjectNode body = this.json.createObjectNode().put("user", user);
		if (!scopes.isEmpty()) {
			body.putArray("scopes").addAll(scopes.stream().map(body::textNode).toList());
		}
		HttpRequest request = HttpRequest.newBuilder(this.api.resolve("/api/dev/tokens"))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(this.json.writeValueAsBytes(body)))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenCompose((response) -> {
			String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
			if (response.statusCode() == 503 && retryAfter != null) {
				// Busy: as every client should, ask again after Retry-After.
				return CompletableFuture.supplyAsync(() -> null,
						CompletableFuture.delayedExecutor(Long.parseLong(retryAfter), TimeUnit.SECONDS))
					.thenCompose((ignored) -> mintToken(user, scopes));
			}
			if (response.statusCode() != 200) {
				throw new IllegalStateException("POST /api/dev/tokens answered " + response.statusCode() + ": "
						+ new String(response.body(), StandardCharsets.UTF_8));
			}
			JsonNode token = this.json.readTree(response.body()).get("token");
			if (token == null) {
				throw new IllegalStateException("POST /api/dev/tokens answered without a token");
			}
			return CompletableFuture.completedFuture(token.asString());
		});
	}

	public CompletableFuture<String> mintToken(String user) {
		return mintToken(user, List.of());
	}

	/** A token for each user, at most {@code concurrency} requests at a time; blocks until all are minted. */
	public List<String> mintTokens(List<String> users, int concurrency) throws InterruptedException {
		Semaphore permits = new Semaphore(concurrency);
		List<CompletableFuture<String>> tokens = new ArrayList<>(users.size());
		for (String user : users) {
			permits.acquire();
			tokens.add(mintToken(user).whenComplete((token, error) -> permits.release()));
		}
		return tokens.stream().map(CompletableFuture::join).toList();
	}

	/** The body of {@code POST /api/jobs}, encoded once and sent as it is for every job. */
	public byte[] jobRequest(String type, JsonNode payload) {
		ObjectNode body = this.json.createObjectNode().put("type", type);
		body.set("payload", payload);
		return this.json.writeValueAsBytes(body);
	}

	public byte[] stepsJob(int steps, long delayMs) {
		return jobRequest("demo.steps", this.json.createObjectNode().put("steps", steps).put("delayMs", delayMs));
	}

	/**
	 * {@code POST /api/jobs}; the id comes from the {@code Location} header, so the body of a
	 * {@code 202} is never read. A {@code 503} with {@code Retry-After} (the API shedding load) is
	 * asked again after it, as every client should: counted by {@link #refused()}, and the
	 * submission's time runs from the first try.
	 */
	public CompletableFuture<Submitted> submit(String token, byte[] body) {
		return submit(token, body, System.nanoTime());
	}

	/** Submissions the API refused for now ({@code 503} with {@code Retry-After}) and that were asked again. */
	public int refused() {
		return this.refused.get();
	}

	/** The longest one {@code POST /api/jobs} exchange took, a first try or a try again, answered or not. */
	public java.time.Duration slowestAnswer() {
		return java.time.Duration.ofNanos(this.slowestAnswer.get());
	}

	/** {@code POST /api/jobs} exchanges answered (or failed) after more than {@link #SLOW_ANSWER}. */
	public int slowAnswers() {
		return this.slowAnswers.get();
	}

	private void answeredAfter(long asked) {
		long took = System.nanoTime() - asked;
		this.slowestAnswer.accumulateAndGet(took, Math::max);
		if (took > SLOW_ANSWER.toNanos()) {
			this.slowAnswers.incrementAndGet();
		}
	}

	private CompletableFuture<Submitted> submit(String token, byte[] body, long sent) {
		long asked = System.nanoTime();
		HttpRequest request = HttpRequest.newBuilder(this.api.resolve("/api/jobs"))
			.timeout(TIMEOUT)
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return this.http.sendAsync(request, (info) -> (info.statusCode() == 202) ? BodySubscribers.replacing((String) null)
				: BodySubscribers.ofString(StandardCharsets.UTF_8))
			.whenComplete((response, error) -> answeredAfter(asked))
			.thenCompose((response) -> {
				long answered = System.nanoTime();
				String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
				if (response.statusCode() == 503 && retryAfter != null) {
					this.refused.incrementAndGet();
					return CompletableFuture.supplyAsync(() -> null,
							CompletableFuture.delayedExecutor(Long.parseLong(retryAfter), TimeUnit.SECONDS))
						.thenCompose((ignored) -> submit(token, body, sent));
				}
				String location = response.headers().firstValue("Location").orElse(null);
				if (response.statusCode() != 202 || location == null) {
					throw new IllegalStateException("POST /api/jobs answered " + response.statusCode() + ": " + response.body());
				}
				return CompletableFuture.completedFuture(
						new Submitted(location.substring(location.lastIndexOf('/') + 1), sent, answered));
			});
	}

	/** {@code POST /api/jobs/{id}/cancel}; the status code. */
	public CompletableFuture<Integer> cancel(String token, String jobId) {
		HttpRequest request = HttpRequest.newBuilder(this.api.resolve("/api/jobs/" + jobId + "/cancel"))
			.timeout(TIMEOUT)
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
	}

	/** A GET with a bearer token; the body, or {@code null} unless the answer is 200. */
	public CompletableFuture<@Nullable String> get(URI uri, String token) {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token).build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> (response.statusCode() == 200) ? response.body() : null);
	}

	/** Opens a WebSocket for the token's user; completes once the handshake is done. */
	public CompletableFuture<JobSocket> openSocket(String token, Consumer<JobFrame> onJobFrame) {
		if (this.dialect == SocketDialect.SOCKET_IO) {
			// The token goes in the connect packet's auth, as Socket.IO's own client sends it.
			String auth = this.json.writeValueAsString(this.json.createObjectNode().put("token", token));
			JobSocket socket = new JobSocket(this.frames, onJobFrame, EngineIo.connect(auth));
			return this.http.newWebSocketBuilder()
				.connectTimeout(TIMEOUT)
				.buildAsync(this.webSocket, socket)
				.thenApply((ignored) -> socket);
		}
		JobSocket socket = new JobSocket(this.frames, onJobFrame, null);
		return this.http.newWebSocketBuilder()
			.header("Authorization", "Bearer " + token)
			.connectTimeout(TIMEOUT)
			.buildAsync(this.webSocket, socket)
			.thenApply((ignored) -> socket);
	}

	/** Opens one WebSocket per token, all frames to {@code onJobFrame}; completes once every one is live. */
	public List<JobSocket> openSockets(List<String> tokens, Consumer<JobFrame> onJobFrame) throws Exception {
		List<CompletableFuture<JobSocket>> opening = new ArrayList<>(tokens.size());
		for (String token : tokens) {
			opening.add(openSocket(token, onJobFrame));
		}
		List<JobSocket> sockets = new ArrayList<>(tokens.size());
		for (CompletableFuture<JobSocket> socket : opening) {
			sockets.add(socket.get(60, TimeUnit.SECONDS));
		}
		for (JobSocket socket : sockets) {
			socket.live().get(60, TimeUnit.SECONDS);
		}
		return sockets;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/**
	 * An accepted job.
	 *
	 * @param jobId its id
	 * @param sentNanos {@link System#nanoTime()} just before the request was handed to the client
	 * @param answeredNanos {@link System#nanoTime()} when the response had arrived
	 */
	public record Submitted(String jobId, long sentNanos, long answeredNanos) {
	}

}
