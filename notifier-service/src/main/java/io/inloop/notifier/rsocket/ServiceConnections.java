package io.inloop.notifier.rsocket;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.TooLongFrameException;
import io.rsocket.DuplexConnection;
import io.rsocket.RSocketErrorException;
import io.rsocket.exceptions.ConnectionErrorException;
import io.rsocket.plugins.DuplexConnectionInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.rsocket.RSocketRequester;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpServer;

/**
 * The TCP connections of services, as RSocket sees them, with two things it does not do itself:
 * <ul>
 * <li>a frame larger than the transport's cap ends its connection, with an error frame saying why
 * (Netty's length decoder alone fails the inbound stream, drops the frame and leaves the connection
 * open, holding a request that never comes);</li>
 * <li>{@link DuplexConnection#availability()} is 0 while the socket's channel is not writable (the
 * service does not read), so a stream can wait instead of filling RSocket's unbounded send queue
 * ({@link #writable}).</li>
 * </ul>
 */
final class ServiceConnections implements DuplexConnectionInterceptor {

	private final Map<SocketAddress, Channel> channels = new ConcurrentHashMap<>();

	private final int maxFrameLength;

	ServiceConnections(int maxFrameLength) {
		this.maxFrameLength = maxFrameLength;
	}

	/** {@code server}, telling this of each channel it accepts. */
	TcpServer observe(TcpServer server) {
		return server.doOnConnection((connection) -> {
			Channel channel = connection.channel();
			SocketAddress remote = channel.remoteAddress();
			this.channels.put(remote, channel);
			channel.closeFuture().addListener((closed) -> this.channels.remove(remote, channel));
		});
	}

	/** Whether the service behind {@code requester} (the one a handler is given) reads what is sent to it. */
	static BooleanSupplier writable(RSocketRequester requester) {
		return () -> requester.rsocket() == null || requester.rsocket().availability() > 0;
	}

	@Override
	public DuplexConnection apply(Type type, DuplexConnection connection) {
		return switch (type) {
			// Every frame in: the whole connection ends on an oversized one.
			case SOURCE -> new ClosingOnOversizedFrames(connection, this.maxFrameLength);
			// The server's side of the connection: what a handler's requester reports availability of.
			case SERVER -> new AvailableWhileWritable(connection, this.channels.get(connection.remoteAddress()));
			default -> connection;
		};
	}

	private static final class ClosingOnOversizedFrames extends Delegating {

		private final int maxFrameLength;

		ClosingOnOversizedFrames(DuplexConnection source, int maxFrameLength) {
			super(source);
			this.maxFrameLength = maxFrameLength;
		}

		@Override
		public Flux<ByteBuf> receive() {
			return this.source.receive().doOnError(TooLongFrameException.class,
					(ex) -> this.source.sendErrorAndClose(new ConnectionErrorException(
							"A frame is larger than " + this.maxFrameLength + " bytes, the most this server accepts")));
		}

	}

	private static final class AvailableWhileWritable extends Delegating {

		private final @Nullable Channel channel;

		AvailableWhileWritable(DuplexConnection source, @Nullable Channel channel) {
			super(source);
			this.channel = channel;
		}

		@Override
		public double availability() {
			Channel socket = this.channel;
			return (socket != null && !socket.isWritable()) ? 0.0 : this.source.availability();
		}

	}

	private abstract static class Delegating implements DuplexConnection {

		protected final DuplexConnection source;

		Delegating(DuplexConnection source) {
			this.source = source;
		}

		@Override
		public Flux<ByteBuf> receive() {
			return this.source.receive();
		}

		@Override
		public void sendFrame(int streamId, ByteBuf frame) {
			this.source.sendFrame(streamId, frame);
		}

		@Override
		public void sendErrorAndClose(RSocketErrorException errorException) {
			this.source.sendErrorAndClose(errorException);
		}

		@Override
		public ByteBufAllocator alloc() {
			return this.source.alloc();
		}

		@Override
		public SocketAddress remoteAddress() {
			return this.source.remoteAddress();
		}

		@Override
		public double availability() {
			return this.source.availability();
		}

		@Override
		public Mono<Void> onClose() {
			return this.source.onClose();
		}

		@Override
		public void dispose() {
			this.source.dispose();
		}

		@Override
		public boolean isDisposed() {
			return this.source.isDisposed();
		}

	}

}
