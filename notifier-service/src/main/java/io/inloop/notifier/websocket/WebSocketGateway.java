package io.inloop.notifier.websocket;

import java.time.Duration;
import java.util.List;

import io.inloop.notifier.subscriptions.DeliveryMetrics;
import io.inloop.notifier.subscriptions.Subscriptions;
import io.inloop.security.BearerTokenSecurity;
import io.inloop.security.UnreadableRequests;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.web.cors.CorsConfiguration;

import reactor.netty.NettyPipeline;

/**
 * {@code /ws} on the notifier's HTTP port, without WebFlux: an upgrade request to it is taken off
 * Reactor Netty's HTTP handlers before they see it, authenticated and upgraded here, and the
 * channel then holds only Netty's frame codec and one {@link WebSocketConnection}. Nothing of the
 * request (headers, exchange, observation, security context) outlives the handshake. Every other
 * request goes on to WebFlux as before. Every request, {@code /ws} or not, first loses its
 * {@code ?access_token=} to its header ({@link QueryToken}): no log ever sees a token in a URL.
 */
@ChannelHandler.Sharable
final class WebSocketGateway extends ChannelInboundHandlerAdapter {

	static final String PATH = "/ws";

	static final String HANDLER_NAME = "inloop.webSocketGateway";

	// Reactor Netty's per-request HTTP handlers: a WebSocket channel needs none of them (TLS and logging stay).
	private static final List<String> HTTP_HANDLERS = List.of(NettyPipeline.HttpTrafficHandler,
			NettyPipeline.AccessLogHandler, NettyPipeline.CompressionHandler, NettyPipeline.IdleTimeoutHandler,
			NettyPipeline.HttpMetricsHandler, NettyPipeline.ReactiveBridge);

	final Subscriptions subscriptions;

	final DeliveryMetrics.Transport metrics;

	final ReactiveAuthenticationManager authentication;

	final CorsConfiguration origins;

	final WebSocketServerHandshakerFactory handshakers;

	final Duration authTimeout;

	/** The largest client message, all its fragments together; beyond it the connection is closed 1009. */
	final int maxInboundMessageSize;

	WebSocketGateway(Subscriptions subscriptions, DeliveryMetrics metrics, ReactiveAuthenticationManager authentication,
			List<String> allowedOrigins, int maxInboundFrameSize, Duration authTimeout) {
		this.subscriptions = subscriptions;
		this.authTimeout = authTimeout;
		this.maxInboundMessageSize = maxInboundFrameSize;
		this.metrics = metrics.transport("websocket");
		this.authentication = authentication;
		this.origins = new CorsConfiguration();
		this.origins.setAllowedOrigins(allowedOrigins);
		// No extensions; a frame over the limit closes with 1009 here, a message over it (its fragments together) in
		// WebSocketConnection, and text that is not UTF-8 with 1007 (Utf8FrameValidator, added once the upgrade is done).
		this.handshakers = new WebSocketServerHandshakerFactory(PATH, null, WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(maxInboundFrameSize)
			.allowExtensions(false)
			.withUTF8Validator(false)
			.build());
	}

	/** Puts the gateway in front of Reactor Netty's HTTP handling on a new channel. */
	void install(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, this);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		if (UnreadableRequests.isUnreadable(message)) {
			// Not an upgrade whatever its path says (its headers are cut short): UnreadableRequests answers it
			ctx.fireChannelRead(message);
			return;
		}
		if (message instanceof HttpRequest request) {
			Handshake.Refusal twoTokens = QueryToken.moveToHeader(request);
			if (twoTokens != null) {
				String path = new QueryStringDecoder(request.uri()).path();
				ReferenceCountUtil.release(request);
				refuse(ctx, twoTokens, path);
				return;
			}
		}
		if (message instanceof HttpRequest request && Handshake.isWebSocketPath(request.uri())) {
			ChannelPipeline pipeline = ctx.pipeline();
			for (String name : HTTP_HANDLERS) {
				if (pipeline.get(name) != null) {
					pipeline.remove(name);
				}
			}
			WebSocketConnection connection = new WebSocketConnection(this);
			pipeline.replace(this, WebSocketConnection.HANDLER_NAME, connection);
			try {
				connection.handshake(request);
			}
			finally {
				ReferenceCountUtil.release(request);
			}
			return;
		}
		ctx.fireChannelRead(message);
	}

	/** Answers the upgrade request with an HTTP error and closes the channel. */
	static void refuse(ChannelHandlerContext ctx, Handshake.Refusal refusal) {
		refuse(ctx, refusal, PATH);
	}

	private static void refuse(ChannelHandlerContext ctx, Handshake.Refusal refusal, String path) {
		HttpStatus status = refusal.status();
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(status.value()),
				Unpooled.wrappedBuffer(BearerTokenSecurity.problemJson(status, refusal.detail(), path)));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
		}
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
