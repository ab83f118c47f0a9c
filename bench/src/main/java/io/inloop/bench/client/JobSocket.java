package io.inloop.bench.client;

import java.net.http.WebSocket;
import java.nio.CharBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One user's WebSocket to the notifier: hands each {@code job} frame to a consumer, on the
 * client's executor, one message at a time. Against a Socket.IO server (the peer) it speaks
 * Engine.IO over the same socket ({@link EngineIo}): connects with the token as auth, answers
 * pings, and takes {@code job} events as frames; the connect's acknowledgement stands for
 * {@code live}.
 */
public final class JobSocket implements WebSocket.Listener {

	private final FrameParser parser;

	private final Consumer<JobFrame> onJobFrame;

	private final CompletableFuture<Void> live = new CompletableFuture<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private @Nullable StringBuilder partial;

	private volatile @Nullable WebSocket socket;

	/** Socket.IO only: the connect packet, sent when the server opens. */
	private final @Nullable String socketIoConnect;

	/** Socket.IO only: the last send, since the JDK's WebSocket takes one at a time. */
	private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

	// Written only by the listener, which the JDK calls one message at a time.
	private volatile long jobFrames;

	JobSocket(FrameParser parser, Consumer<JobFrame> onJobFrame, @Nullable String socketIoConnect) {
		this.parser = parser;
		this.onJobFrame = onJobFrame;
		this.socketIoConnect = socketIoConnect;
	}

	/** Completes with the {@code live} frame: from then on every frame is live. */
	public CompletableFuture<Void> live() {
		return this.live;
	}

	/** Completes with the close code when either side closed, or {@code -1} on an error. */
	public CompletableFuture<Integer> closed() {
		return this.closed;
	}

	public boolean isOpen() {
		return this.socket != null && !this.closed.isDone();
	}

	public long jobFrames() {
		return this.jobFrames;
	}

	/** Drops the connection without a closing handshake: the fastest way to release thousands. */
	public void abort() {
		WebSocket current = this.socket;
		if (current != null) {
			current.abort();
		}
		this.closed.complete(1006);
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.socket = webSocket;
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		if (this.socketIoConnect != null) {
			onEngineIo(webSocket, data, last);
		}
		else if (!last || this.partial != null) {
			StringBuilder buffer = (this.partial != null) ? this.partial : new StringBuilder();
			buffer.append(data);
			this.partial = last ? null : buffer;
			if (last) {
				handle(this.parser.parse(buffer.toString(), System.nanoTime()));
			}
		}
		else if (data instanceof CharBuffer chars && chars.hasArray()) {
			// The decoded message as it is: parsed in place, not copied into a String.
			handle(this.parser.parse(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining(),
					System.nanoTime()));
		}
		else {
			handle(this.parser.parse(data.toString(), System.nanoTime()));
		}
		webSocket.request(1);
		return null;
	}

	private void onEngineIo(WebSocket webSocket, CharSequence data, boolean last) {
		StringBuilder buffer = (this.partial != null) ? this.partial : new StringBuilder();
		buffer.append(data);
		this.partial = last ? null : buffer;
		if (!last) {
			return;
		}
		String packet = buffer.toString();
		switch (EngineIo.kindOf(packet)) {
			case OPEN -> send(webSocket, this.socketIoConnect);
			case PING -> send(webSocket, EngineIo.PONG);
			case CONNECTED -> this.live.complete(null);
			case CONNECT_ERROR -> this.live.completeExceptionally(new IllegalStateException("Socket.IO refused the connection: " + packet));
			case EVENT -> {
				int arguments = EngineIo.eventArguments(packet);
				if (arguments > 0) {
					handle(this.parser.parse(packet.substring(arguments), System.nanoTime()));
				}
			}
			case CLOSE, DISCONNECT -> {
				this.closed.complete(1000);
				this.live.completeExceptionally(new IllegalStateException("Socket.IO closed the connection: " + packet));
			}
			case OTHER -> {
			}
		}
	}

	private synchronized void send(WebSocket webSocket, @Nullable String text) {
		if (text != null) {
			this.sending = this.sending.thenCompose((ignored) -> webSocket.sendText(text, true));
		}
	}

	private void handle(FrameParser.Parsed frame) {
		if (frame.job() != null) {
			this.jobFrames++;
			this.onJobFrame.accept(frame.job());
		}
		else if (frame.kind() == FrameParser.Kind.LIVE) {
			this.live.complete(null);
		}
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		this.live.completeExceptionally(new IllegalStateException("closed with " + statusCode + " " + reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.complete(-1);
		this.live.completeExceptionally(error);
	}

}
