package io.inloop.notifier.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that writes frames byte by byte, as no well-behaved client library would: a
 * message in fragments of any size, text that is not UTF-8. For tests of what the server does with them.
 */
final class RawWebSocket implements AutoCloseable {

	static final int TEXT = 0x1;

	static final int CONTINUATION = 0x0;

	static final int CLOSE = 0x8;

	static final int PING = 0x9;

	static final int PONG = 0xA;

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private RawWebSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(15_000);
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/** Opens {@code /ws} on {@code port} without a token (the handshake a browser makes). */
	static RawWebSocket open(int port) throws IOException {
		RawWebSocket client = new RawWebSocket(new Socket("localhost", port));
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		String request = "GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		client.out.write(request.getBytes(StandardCharsets.US_ASCII));
		client.out.flush();
		String status = client.readHeaders();
		if (!status.startsWith("HTTP/1.1 101")) {
			throw new IOException("Not upgraded: " + status);
		}
		return client;
	}

	private String readHeaders() throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			head.write(this.in.readUnsignedByte());
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** Writes one frame, masked as a client's must be. */
	void send(int opcode, boolean fin, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	void sendText(String text) throws IOException {
		send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
	}

	/** Reads frames until a text frame holding {@code text}. */
	void awaitText(String text) throws IOException {
		while (true) {
			Frame frame = read();
			if (frame.opcode() == TEXT && new String(frame.payload(), StandardCharsets.UTF_8).contains(text)) {
				return;
			}
			if (frame.opcode() == CLOSE) {
				throw new IOException("Closed " + frame.closeCode() + " while waiting for " + text);
			}
		}
	}

	/** Reads frames until the server's close frame, and returns its status code. */
	int awaitClose() throws IOException {
		while (true) {
			Frame frame = read();
			if (frame.opcode() == CLOSE) {
				return frame.closeCode();
			}
		}
	}

	/** Sends a ping and reads until its pong: the connection is still open and read. */
	void assertOpen() throws IOException {
		byte[] data = "still there?".getBytes(StandardCharsets.US_ASCII);
		send(PING, true, data);
		while (true) {
			Frame frame = read();
			if (frame.opcode() == PONG) {
				return;
			}
			if (frame.opcode() == CLOSE) {
				throw new IOException("Closed " + frame.closeCode());
			}
		}
	}

	private Frame read() throws IOException {
		int first = this.in.readUnsignedByte();
		int second = this.in.readUnsignedByte();
		long length = second & 0x7F;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		else if (length == 127) {
			length = this.in.readLong();
		}
		byte[] payload = new byte[(int) length];
		this.in.readFully(payload);
		return new Frame(first & 0x0F, payload);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private record Frame(int opcode, byte[] payload) {

		int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : 1005;
		}

	}

}
