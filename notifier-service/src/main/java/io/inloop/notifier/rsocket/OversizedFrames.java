package io.inloop.notifier.rsocket;

import java.net.SocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.TooLongFrameException;
import io.rsocket.DuplexConnection;
import io.rsocket.RSocketErrorException;
import io.rsocket.exceptions.ConnectionErrorException;
import io.rsocket.plugins.DuplexConnectionInterceptor;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A frame larger than the transport's cap ends its connection, with an error frame saying why:
 * Netty's length decoder alone fails the inbound stream, drops the frame and leaves the connection
 * open, holding a request that never comes.
 */
final class OversizedFrames implements DuplexConnectionInterceptor {

	private final int maxFrameLength;

	OversizedFrames(int maxFrameLength) {
		this.maxFrameLength = maxFrameLength;
	}

	@Override
	public DuplexConnection apply(Type type, DuplexConnection connection) {
		return (type == Type.SOURCE) ? new Closing(connection, this.maxFrameLength) : connection;
	}

	private static final class Closing implements DuplexConnection {

		private final DuplexConnection source;

		private final int maxFrameLength;

		Closing(DuplexConnection source, int maxFrameLength) {
			this.source = source;
			this.maxFrameLength = maxFrameLength;
		}

		@Override
		public Flux<ByteBuf> receive() {
			return this.source.receive().doOnError(TooLongFrameException.class,
					(ex) -> this.source.sendErrorAndClose(new ConnectionErrorException(
							"A frame is larger than " + this.maxFrameLength + " bytes, the most this server accepts")));
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
