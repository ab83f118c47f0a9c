package io.inloop.security;

import java.net.URI;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import org.springframework.http.HttpStatus;

import reactor.netty.NettyPipeline;

/**
 * Answers a request that Netty could not decode (headers over
 * {@code server.max-http-request-header-size}, a request line over
 * {@code server.netty.max-initial-line-length}, malformed HTTP) with problem+json, as every other
 * refusal, and closes the connection: Reactor Netty answers them with an empty {@code 431},
 * {@code 414} or {@code 400}, and the notifier's {@code /ws} gateway would read what was decoded of
 * such a request as an upgrade without its headers. Sits right after the HTTP codec, in front of
 * every other handler.
 */
@ChannelHandler.Sharable
public final class UnreadableRequests extends ChannelInboundHandlerAdapter {

	/** This handler's name in a channel's pipeline. */
	public static final String HANDLER_NAME = "inloop.unreadableRequests";

	/** Puts the handler right after the HTTP codec of a new channel (none: not an HTTP/1.1 channel). */
	public void install(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(HANDLER_NAME) == null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, this);
		}
	}

	/** Whether Netty could not decode {@code message}: what this handler answers. */
	public static boolean isUnreadable(Object message) {
		return message instanceof HttpObject http && http.decoderResult().isFailure();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		if (!isUnreadable(message)) {
			ctx.fireChannelRead(message);
			return;
		}
		DecoderResult result = ((HttpObject) message).decoderResult();
		// The codec drops whatever else the connection sends; it is closed once the answer is written.
		ReferenceCountUtil.release(message);
		if (!ctx.channel().isActive()) {
			return;
		}
		Throwable cause = result.cause();
		FullHttpResponse response;
		if (cause instanceof TooLongHttpHeaderException) {
			response = problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, ProblemTypes.HEADERS_TOO_LARGE,
					"The request's headers together are larger than this server takes "
							+ "(server.max-http-request-header-size, 8 KB by default); a bearer token belongs in "
							+ "Authorization alone and is a few hundred bytes");
		}
		else if (cause instanceof TooLongHttpLineException) {
			response = problem(HttpStatus.URI_TOO_LONG, ProblemTypes.URI_TOO_LONG,
					"The request line (method, path and query) is longer than this server takes "
							+ "(server.netty.max-initial-line-length, 4 KB by default)");
		}
		else {
			response = problem(HttpStatus.BAD_REQUEST, ProblemTypes.REQUEST_REJECTED,
					"The request is not well-formed HTTP/1.1: " + ((cause != null) ? cause.getMessage() : "unreadable"));
		}
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	private static FullHttpResponse problem(HttpStatus status, URI type, String detail) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(status.value()),
				Unpooled.wrappedBuffer(BearerTokenSecurity.problemJson(type, status, detail, "")));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return response;
	}

}
