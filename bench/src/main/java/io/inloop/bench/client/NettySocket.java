package io.inloop.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;

/**
 * One user's WebSocket on {@link NettySockets}: hands each {@code job} frame to a consumer on the
 * connection's event loop thread, reports {@link #live()} and {@link #closed()} as
 * {@link JobSocket} does. A socket opened not {@code reading} stops reading once it is live, until
 * {@link #resumeReading()}.
 */
public final class NettySocket extends SimpleChannelInboundHandler<Object> {

	/** Scratch space to parse a frame held in a direct buffer: one per event loop thread, not per connection. */
	private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
		@Override
		protected byte[] initialValue() {
			return new byte[16 * 1024];
		}
	};

	private final WebSocketClientHandshaker handshaker;

	private final FrameParser parser;

	private final Consumer<JobFrame> onJobFrame;

	private final boolean reading;

	private final CompletableFuture<NettySocket> handshake = new CompletableFuture<>();

	private final CompletableFuture<Void> live = new CompletableFuture<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private volatile @Nullable Channel channel;

	// Written only on the connection's event loop.
	private volatile long jobFrames;

	NettySocket(WebSocketClientHandshaker handshaker, FrameParser parser, Consumer<JobFrame> onJobFrame,
			boolean reading) {
		this.handshaker = handshaker;
		this.parser = parser;
		this.onJobFrame = onJobFrame;
		this.reading = reading;
	}

	CompletableFuture<NettySocket> handshake() {
		return this.handshake;
	}

	/** Completes with the {@code live} frame: from then on every frame is live. */
	public CompletableFuture<Void> live() {
		return this.live;
	}

	/**
	 * Completes with the close code when either side closed (the server's close frame), 1006 when
	 * the connection ended without one, or {@code -1} on an error.
	 */
	public CompletableFuture<Integer> closed() {
		return this.closed;
	}

	public boolean isOpen() {
		Channel current = this.channel;
		return current != null && current.isActive() && !this.closed.isDone();
	}

	public long jobFrames() {
		return this.jobFrames;
	}

	/** A socket that stopped reading reads again: what piled up in the kernel, then the close frame if any. */
	public void resumeReading() {
		Channel current = this.channel;
		if (current != null) {
			current.eventLoop().execute(() -> {
				current.config().setAutoRead(true);
				current.read();
			});
		}
	}

	/** Drops the connection without a closing handshake: the fastest way to release thousands. */
	public void abort() {
		this.closed.complete(1006);
		Channel current = this.channel;
		if (current != null) {
			current.close();
		}
	}

	void failed(Throwable error) {
		this.handshake.completeExceptionally(error);
		this.live.completeExceptionally(error);
		this.closed.complete(-1);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.channel = ctx.channel();
		this.handshaker.handshake(ctx.channel()).addListener((future) -> {
			if (!future.isSuccess()) {
				failed(future.cause());
				ctx.close();
			}
		});
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, Object message) {
		if (!this.handshaker.isHandshakeComplete()) {
			if (message instanceof FullHttpResponse response) {
				try {
					this.handshaker.finishHandshake(ctx.channel(), response);
					this.handshake.complete(this);
				}
				catch (RuntimeException ex) {
					failed(ex);
					ctx.close();
				}
			}
			return;
		}
		if (message instanceof TextWebSocketFrame text) {
			long received = System.nanoTime();
			ByteBuf content = text.content();
			int length = content.readableBytes();
			FrameParser.Parsed frame;
			if (content.hasArray()) {
				frame = this.parser.parse(content.array(), content.arrayOffset() + content.readerIndex(), length, received);
			}
			else {
				byte[] scratch = SCRATCH.get();
				if (scratch.length < length) {
					scratch = new byte[Math.max(length, scratch.length * 2)];
					SCRATCH.set(scratch);
				}
				content.getBytes(content.readerIndex(), scratch, 0, length);
				frame = this.parser.parse(scratch, 0, length, received);
			}
			handle(ctx, frame);
		}
		else if (message instanceof PingWebSocketFrame ping) {
			ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
		}
		else if (message instanceof CloseWebSocketFrame close) {
			int code = close.statusCode();
			this.closed.complete(code);
			this.live.completeExceptionally(new IllegalStateException("closed with " + code + " " + close.reasonText()));
			ctx.writeAndFlush(new CloseWebSocketFrame(code, null)).addListener((future) -> ctx.close());
		}
	}

	private void handle(ChannelHandlerContext ctx, FrameParser.Parsed frame) {
		JobFrame job = frame.job();
		if (job != null) {
			this.jobFrames++;
			this.onJobFrame.accept(job);
		}
		else if (frame.kind() == FrameParser.Kind.LIVE) {
			if (!this.reading) {
				ctx.channel().config().setAutoRead(false);
			}
			this.live.complete(null);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		IllegalStateException gone = new IllegalStateException("connection closed");
		this.handshake.completeExceptionally(gone);
		this.live.completeExceptionally(gone);
		this.closed.complete(1006);
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		failed(cause);
		ctx.close();
	}

}
