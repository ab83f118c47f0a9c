package io.inloop.bench.client;

/** What the bench's WebSocket speaks. */
public enum SocketDialect {

	/** Inloop's notifier (docs/protocol.md): the token in {@code Authorization}, one JSON frame per message. */
	INLOOP,

	/** A Socket.IO v5 server over Engine.IO v4: the token in the connect packet's auth, frames as {@code job} events. */
	SOCKET_IO

}
