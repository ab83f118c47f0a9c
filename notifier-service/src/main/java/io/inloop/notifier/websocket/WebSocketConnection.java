package io.inloop.notifier.websocket;

import java.security.Principal;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.inloop.history.Cursor;
import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.delivery.JobFrame;
import io.inloop.notifier.subscriptions.Audience;
import io.inloop.notifier.subscriptions.Caller;
import io.inloop.notifier.subscriptions.CloseReason;
import io.inloop.notifier.subscriptions.ConnectionClosedException;
import io.inloop.notifier.subscriptions.Connection;
import io.inloop.notifier.subscriptions.FrameSink;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

/**
 * One WebSocket client, from its upgrade request to its close: authenticates the request (its
 * header's token before the upgrade, or else its first message, an {@link AuthFrame}), answers the
 * handshake, sends what the client missed as fast as it reads, then is its {@link Connection}'s
 * {@link FrameSink}: frames are written while the channel is writable and wait in the connection
 * while it is not. Client messages after the auth frame are ignored; pings are answered.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements FrameSink {

	static final String HANDLER_NAME = "inloop.webSocket";

	private static final Log logger = LogFactory.getLog(WebSocketConnection.class);

	private static final long CLOSE_TIMEOUT_SECONDS = 10;

	/** {@code since} is not a cursor. */
	private static final int BAD_CURSOR = 4000;

	private static final int SERVER_ERROR = 1011;

	/** Tokens cannot be validated now (the JWKS endpoint is unreachable): the handshake's 503. */

	/** The first message was not an auth frame with a valid token: the handshake's 401. */
	static final int UNAUTHORIZED = 4401;

	/** No auth frame within {@code inloop.notifier.websocket.auth-timeout}. */
	static final int AUTH_TIMEOUT = 4408;

	/** A client message, its fragments together, larger than {@code max-inbound-frame-size}. */
	static final int MESSAGE_TOO_BIG = 1009;

	private static final String UTF8_VALIDATOR = "inloop.webSocketUtf8";

	private final WebSocketGateway gateway;

	private @Nullable ChannelHandlerContext ctx;

	private volatile @Nullable Connection connection;

	private volatile @Nullable CatchUp catchUp;

	private volatile boolean closeSent;

	private @Nullable ScheduledFuture<?> closeTimeout;

	/** Set while the connection waits for its auth frame: the handshake's cursor, and the timer that ends the wait. */
	private @Nullable Handshake awaitingAuth;

	private @Nullable ScheduledFuture<?> authTimeout;

	/** The bytes of the client message under way, its fragments so far; on the event loop. */
	private long messageBytes;

	WebSocketConnection(WebSocketGateway gateway) {
		this.gateway = gateway;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	/** Checks and authenticates the upgrade request; answers it with {@code 101} or an HTTP error. */
	void handshake(HttpRequest request) {
		ChannelHandlerContext context = context();
		Handshake handshake = Handshake.of(request, this.gateway.origins,
				context.pipeline().get(SslHandler.class) != null);
		Handshake.Refusal refusal = handshake.refusal();
		if (refusal != null) {
			WebSocketGateway.refuse(context, refusal);
			return;
		}
		// The request's body (none for a GET) never matters: the handshake needs its line and headers.
		FullHttpRequest upgrade = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
				Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
		String token = handshake.token();
		if (token == null) {
			upgrade(upgrade, handshake, null);
			return;
		}
		authenticate(token).subscribe((caller) -> context.executor().execute(() -> upgrade(upgrade, handshake, caller)),
				(ex) -> context.executor().execute(() -> WebSocketGateway.refuse(context, refusal(ex))));
	}

	private Mono<Authentication> authenticate(String token) {
		return this.gateway.authentication.authenticate(new BearerTokenAuthenticationToken(token))
			.switchIfEmpty(Mono.error(() -> new BadCredentialsException("The token authenticates no one")));
	}

	private static Handshake.Refusal refusal(Throwable ex) {
		if (ex instanceof AuthenticationServiceException) {
			logger.warn("Tokens cannot be validated now", ex);
			return new Handshake.Refusal(HttpStatus.SERVICE_UNAVAILABLE, "Tokens cannot be validated now");
		}
		if (!(ex instanceof AuthenticationException)) {
			logger.warn("Authenticating a WebSocket handshake failed", ex);
		}
		return new Handshake.Refusal(HttpStatus.UNAUTHORIZED, "A valid bearer token is required");
	}

	/** {@code authentication} {@code null}: the client is to authenticate with its first message. */
	private void upgrade(FullHttpRequest request, Handshake handshake, @Nullable Authentication authentication) {
		ChannelHandlerContext context = context();
		if (!context.channel().isActive()) {
			return;
		}
		WebSocketServerHandshaker handshaker = this.gateway.handshakers.newHandshaker(request);
		if (handshaker == null) {
			WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(context.channel())
				.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		handshaker.handshake(context.channel(), request).addListener((done) -> {
			if (done.isSuccess()) {
				// Text that is not UTF-8 closes the connection with 1007, as RFC 6455 asks, whether or not it is read
				context.pipeline().addBefore(HANDLER_NAME, UTF8_VALIDATOR, new Utf8FrameValidator(true));
				// Reactor Netty reads a request at a time; the client's pings, pongs and closes may come at any time.
				context.channel().config().setAutoRead(true);
				if (authentication != null) {
					open(handshake, Caller.of((Principal) authentication));
				}
				else {
					awaitAuthFrame(handshake);
				}
			}
			else {
				context.close();
			}
		});
	}

	/** Until its auth frame comes, the connection holds no subscription: only its channel, this handler and a timer. */
	private void awaitAuthFrame(Handshake handshake) {
		ChannelHandlerContext context = context();
		this.awaitingAuth = handshake;
		this.authTimeout = context.executor().schedule(() -> {
			if (this.awaitingAuth != null) {
				this.awaitingAuth = null;
				closeWith(AUTH_TIMEOUT, "authentication timeout");
			}
		}, this.gateway.authTimeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** The first message of a connection that waits for its auth frame; on the event loop. */
	private void authenticateWith(Object message) {
		Handshake handshake = this.awaitingAuth;
		if (handshake == null) {
			return;
		}
		this.awaitingAuth = null;
		ScheduledFuture<?> timeout = this.authTimeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
		String token = (message instanceof TextWebSocketFrame text && text.isFinalFragment())
				? AuthFrame.token(text.content()) : null;
		if (token == null) {
			closeWith(UNAUTHORIZED, "unauthorized");
			return;
		}
		ChannelHandlerContext context = context();
		authenticate(token).subscribe((caller) -> context.executor().execute(() -> {
			if (!this.closeSent) {
				open(handshake, Caller.of((Principal) caller));
			}
		}), (ex) -> {
			Handshake.Refusal refusal = refusal(ex);
			if (refusal.status() == HttpStatus.SERVICE_UNAVAILABLE) {
				closeWith(CloseReason.TRY_AGAIN_LATER.code(), CloseReason.TRY_AGAIN_LATER.text());
			}
			else {
				closeWith(UNAUTHORIZED, "unauthorized");
			}
		});
	}

	private void open(Handshake handshake, Caller caller) {
		Cursor since;
		try {
			since = handshake.since();
		}
		catch (IllegalArgumentException ex) {
			closeWith(BAD_CURSOR, "bad cursor");
			return;
		}
		Connection opened;
		try {
			opened = this.gateway.subscriptions.open(caller, Audience.of(caller.subject()));
		}
		catch (ConnectionClosedException refused) {
			closeWith(refused.reason().code(), refused.reason().text());
			return;
		}
		this.connection = opened;
		this.gateway.metrics.opened();
		if (!context().channel().isActive()) {
			// Gone during the handshake: channelInactive came before there was a connection to close.
			closed();
			return;
		}
		CatchUp missed = new CatchUp(opened);
		this.catchUp = missed;
		this.gateway.subscriptions.catchUp(opened, since).subscribe(missed);
	}

	// FrameSink: the connection's live frames.

	@Override
	public boolean ready() {
		return context().channel().isWritable();
	}

	@Override
	public void send(Frame frame) {
		if (frame instanceof JobFrame job) {
			this.gateway.metrics.delivered(job);
		}
		write(frame);
	}

	@Override
	public void flush() {
		context().flush();
	}

	@Override
	public void execute(Runnable drain) {
		ChannelHandlerContext context = context();
		if (context.executor().inEventLoop()) {
			drain.run();
		}
		else {
			// The feed's frames are written on the channel's event loop: one task per burst, no task per write.
			context.executor().execute(drain);
		}
	}

	@Override
	public void close(CloseReason reason) {
		closeWith(reason.code(), reason.text());
	}

	private void write(Frame frame) {
		ChannelHandlerContext context = context();
		if (frame == ControlFrame.PING) {
			context.write(new PingWebSocketFrame(), context.voidPromise());
		}
		else {
			context.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.payload())), context.voidPromise());
		}
	}

	/** Starts the closing handshake; a client that does not answer within 10 s is dropped. */
	private void closeWith(int code, String reason) {
		ChannelHandlerContext context = context();
		if (!context.executor().inEventLoop()) {
			context.executor().execute(() -> closeWith(code, reason));
			return;
		}
		if (this.closeSent) {
			return;
		}
		this.closeSent = true;
		if (!context.channel().isActive()) {
			return;
		}
		context.writeAndFlush(new CloseWebSocketFrame(code, reason));
		this.closeTimeout = context.executor().schedule(() -> {
			context.close();
		}, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

	// The channel.

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		try {
			if (message instanceof WebSocketFrame frame && tooBig(frame)) {
				closeWith(MESSAGE_TOO_BIG, "message too big");
			}
			else if (message instanceof PingWebSocketFrame ping) {
				ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
			}
			else if (this.awaitingAuth != null && message instanceof WebSocketFrame
					&& !(message instanceof CloseWebSocketFrame) && !(message instanceof PongWebSocketFrame)) {
				authenticateWith(message);
			}
			else if (message instanceof CloseWebSocketFrame close) {
				if (this.closeSent) {
					ctx.close();
				}
				else {
					// The client closes: answer with its code, as RFC 6455 asks, then end the connection.
					this.closeSent = true;
					int code = close.statusCode();
					ctx.writeAndFlush(new CloseWebSocketFrame((code > 0) ? code : 1000, null))
						.addListener(ChannelFutureListener.CLOSE);
				}
			}
			// Anything else (text, binary, pongs, the upgrade request's end) means nothing here once authenticated.
		}
		finally {
			ReferenceCountUtil.release(message);
		}
	}

	/**
	 * Whether the client message {@code frame} belongs to has grown past the limit: a message's
	 * fragments count together, so a client cannot send an endless message in small frames.
	 */
	private boolean tooBig(WebSocketFrame frame) {
		if (!(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
				|| frame instanceof ContinuationWebSocketFrame)) {
			return false;
		}
		long before = (frame instanceof ContinuationWebSocketFrame) ? this.messageBytes : 0;
		this.messageBytes = frame.isFinalFragment() ? 0 : before + frame.content().readableBytes();
		return before + frame.content().readableBytes() > this.gateway.maxInboundMessageSize;
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (ctx.channel().isWritable()) {
			CatchUp missed = this.catchUp;
			if (missed != null) {
				missed.resume();
			}
			else {
				Connection open = this.connection;
				if (open != null) {
					open.flush();
				}
			}
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		closed();
		ScheduledFuture<?> timeout = this.closeTimeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
		ScheduledFuture<?> waiting = this.authTimeout;
		if (waiting != null) {
			waiting.cancel(false);
		}
		ctx.fireChannelInactive();
	}

	private void closed() {
		CatchUp missed = this.catchUp;
		if (missed != null) {
			missed.cancel();
		}
		Connection open = this.connection;
		if (open != null) {
			this.connection = null;
			this.gateway.subscriptions.close(open);
			this.gateway.metrics.closed();
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// A protocol violation (such as a message over the size limit) was answered with its close code already.
		if (!(cause instanceof CorruptedWebSocketFrameException) && logger.isDebugEnabled()) {
			logger.debug("WebSocket connection failed", cause);
		}
		ctx.close();
	}

	private ChannelHandlerContext context() {
		ChannelHandlerContext context = this.ctx;
		if (context == null) {
			throw new IllegalStateException("Not in a pipeline");
		}
		return context;
	}

	/**
	 * What the client missed, one frame at a time while the channel is writable; then the
	 * {@link ControlFrame#LIVE live} frame, and the connection's live frames from then on.
	 */
	private final class CatchUp extends BaseSubscriber<Frame> {

		private final Connection connection;

		private final AtomicBoolean waiting = new AtomicBoolean();

		CatchUp(Connection connection) {
			this.connection = connection;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			next();
		}

		@Override
		protected void hookOnNext(Frame frame) {
			write(frame);
			flush();
			next();
		}

		/** Asks for one more frame when the channel has room, else once it has. */
		private void next() {
			if (ready()) {
				request(1);
				return;
			}
			this.waiting.set(true);
			// Room may have come between the check and the flag: the writability event would have missed it.
			if (ready()) {
				resume();
			}
		}

		void resume() {
			if (this.waiting.compareAndSet(true, false)) {
				request(1);
			}
		}

		@Override
		protected void hookOnComplete() {
			WebSocketConnection.this.catchUp = null;
			write(ControlFrame.LIVE);
			flush();
			this.connection.attach(WebSocketConnection.this);
		}

		@Override
		protected void hookOnError(Throwable ex) {
			WebSocketConnection.this.catchUp = null;
			if (ex instanceof ConnectionClosedException closed) {
				closeWith(closed.reason().code(), closed.reason().text());
				return;
			}
			logger.warn("Catching up a WebSocket connection failed; closing it so that it resumes", ex);
			closeWith(SERVER_ERROR, "server error");
		}

	}

}
