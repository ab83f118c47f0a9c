package io.inloop.bench.client;

/**
 * The little of Engine.IO v4 and Socket.IO v5 a client needs over a raw WebSocket
 * ({@code /socket.io/?EIO=4&transport=websocket}), text packets only, default namespace: the server
 * opens with {@code 0{...}}, the client connects with {@code 40{auth}}, the server acknowledges with
 * {@code 40{"sid":...}}, events are {@code 42["name",...]}, and every ping {@code 2} is answered
 * with a pong {@code 3}.
 */
final class EngineIo {

	static final String PONG = "3";

	/** What a text message is. */
	enum Packet {
		/** Engine.IO open ({@code 0{"sid":...,"pingInterval":...}}): time to send the Socket.IO connect. */
		OPEN,
		/** Engine.IO close. */
		CLOSE,
		/** Engine.IO ping: answer {@link #PONG}. */
		PING,
		/** Socket.IO connect acknowledged: events for this client flow from now on. */
		CONNECTED,
		/** Socket.IO connect refused (e.g. the middleware rejected the token). */
		CONNECT_ERROR,
		/** Socket.IO event: its JSON array starts at {@link #eventArguments}. */
		EVENT,
		/** Socket.IO disconnect from the server. */
		DISCONNECT,
		/** Anything else (pong, noop, acks, binary): ignored. */
		OTHER
	}

	private EngineIo() {
	}

	/** The Socket.IO connect packet to the default namespace with this auth payload (a JSON object). */
	static String connect(String authJson) {
		return "40" + authJson;
	}

	static Packet kindOf(CharSequence text) {
		if (text.isEmpty()) {
			return Packet.OTHER;
		}
		return switch (text.charAt(0)) {
			case '0' -> Packet.OPEN;
			case '1' -> Packet.CLOSE;
			case '2' -> Packet.PING;
			case '4' -> (text.length() < 2) ? Packet.OTHER : switch (text.charAt(1)) {
				case '0' -> Packet.CONNECTED;
				case '1' -> Packet.DISCONNECT;
				case '2' -> Packet.EVENT;
				case '4' -> Packet.CONNECT_ERROR;
				default -> Packet.OTHER;
			};
			default -> Packet.OTHER;
		};
	}

	/**
	 * Where an event's JSON array starts: after {@code 42}, a namespace ({@code /admin,}) and an ack
	 * id (digits) if any; -1 if there is none.
	 */
	static int eventArguments(CharSequence text) {
		for (int i = 2; i < text.length(); i++) {
			if (text.charAt(i) == '[') {
				return i;
			}
		}
		return -1;
	}

}
