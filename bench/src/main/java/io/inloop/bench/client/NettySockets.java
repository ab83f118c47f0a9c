package io.inloop.bench.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import tools.jackson.databind.json.JsonMapper;

/**
 * A lean WebSocket client on Netty for thousands of connections: one event loop group of a thread
 * or two (epoll where available, NIO otherwise), a {@link WebSocketClientHandshaker13} per
 * connection with the token in the {@code Authorization} header, frames parsed straight from the
 * received bytes. After the handshake a channel holds only Netty's frame codec, a frame
 * aggregator (for fragmented messages, which the notifier does not send) and its
 * {@link NettySocket}.
 */
public final class NettySockets implements AutoCloseable {

	/** The largest message accepted; the notifier's frames are a few hundred bytes. */
	private static final int MAX_MESSAGE = 1 << 20;

	private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

	private final FrameParser parser;

	private final EventLoopGroup group;

	private final Class<? extends SocketChannel> channelType;

	private final String transport;

	private final Map<URI, InetSocketAddress> addresses = new ConcurrentHashMap<>();

	public NettySockets(int threads, JsonMapper json) {
		this.parser = new FrameParser(json);
		boolean epoll = Epoll.isAvailable();
		IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		AtomicInteger count = new AtomicInteger();
		this.group = new MultiThreadIoEventLoopGroup(threads, (task) -> {
			Thread thread = new Thread(task, "bench-netty-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}, io);
		this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
		this.transport = (epoll ? "epoll" : "nio") + ", " + threads + " thread" + ((threads == 1) ? "" : "s");
	}

	/** What the connections run on, e.g. {@code epoll, 2 threads}. */
	public String transport() {
		return this.transport;
	}

	/**
	 * Opens a WebSocket for the token's user; completes once the handshake is done (HTTP 101), or
	 * exceptionally when it was refused or the connection failed.
	 * @param webSocket the notifier's {@code ws://host:port/ws}
	 * @param reading {@code false} for a client that stops reading once it got its {@code live} frame
	 * (a slow client: the kernel's buffers fill, then the notifier's queue)
	 */
	public CompletableFuture<NettySocket> open(URI webSocket, String token, Consumer<JobFrame> onJobFrame,
			boolean reading) {
		HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
		WebSocketClientHandshaker13 handshaker = new WebSocketClientHandshaker13(webSocket, WebSocketVersion.V13, null,
				false, headers, MAX_MESSAGE);
		NettySocket socket = new NettySocket(handshaker, this.parser, onJobFrame, reading);
		Bootstrap bootstrap = new Bootstrap().group(this.group)
			.channel(this.channelType)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
								new WebSocketFrameAggregator(MAX_MESSAGE), socket);
				}
			});
		if (!reading) {
			// A small receive window: the connection falls behind after a few frames, not megabytes.
			bootstrap.option(ChannelOption.SO_RCVBUF, 4096);
		}
		ChannelFuture connect = bootstrap.connect(address(webSocket));
		connect.addListener((future) -> {
			if (!future.isSuccess()) {
				socket.failed(future.cause());
			}
		});
		return socket.handshake();
	}

	private InetSocketAddress address(URI webSocket) {
		// Resolved once per notifier, not once per connection.
		return this.addresses.computeIfAbsent(webSocket, (uri) -> {
			int port = (uri.getPort() > 0) ? uri.getPort() : ("wss".equals(uri.getScheme()) ? 443 : 80);
			return new InetSocketAddress(uri.getHost(), port);
		});
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
	}

}
