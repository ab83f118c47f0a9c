package io.inloop.notifier.websocket;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.delivery.StatusFeed;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client sends after its auth frame means nothing, but it is still held to RFC 6455 and to
 * the size limit ({@code max-inbound-frame-size}, 4 KiB): a message counts with all its fragments,
 * and text that is not UTF-8 closes the connection with 1007.
 */
@NotifierTest
class WebSocketClientMessagesTests {

	/** {@code inloop.notifier.connections.max-inbound-frame-size}'s default: the limit of a whole message. */
	private static final int LIMIT = 4096;

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private StatusFeed feed;

	@BeforeAll
	static void createTopics() {
		StatusTopic.create();
	}

	@BeforeEach
	void awaitFeed() {
		await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);
	}

	@Test
	void aMessageOverTheLimitInSmallFragmentsIsClosedWith1009() throws Exception {
		try (RawWebSocket client = authenticated()) {
			byte[] fragment = new byte[1000];
			Arrays.fill(fragment, (byte) 'a');
			client.send(RawWebSocket.TEXT, false, fragment);
			for (int sent = fragment.length; sent <= LIMIT; sent += fragment.length) {
				client.send(RawWebSocket.CONTINUATION, false, fragment);
			}
			assertThat(client.awaitClose()).as("more than %d bytes in frames of 1,000", LIMIT).isEqualTo(1009);
		}
	}

	@Test
	void aMessageWithinTheLimitInFragmentsKeepsTheConnection() throws Exception {
		try (RawWebSocket client = authenticated()) {
			byte[] fragment = new byte[1000];
			Arrays.fill(fragment, (byte) 'a');
			// Three messages of 3,000 bytes: 9,000 in all, each within the limit
			for (int message = 0; message < 3; message++) {
				client.send(RawWebSocket.TEXT, false, fragment);
				client.send(RawWebSocket.CONTINUATION, false, fragment);
				client.send(RawWebSocket.CONTINUATION, true, fragment);
			}
			client.assertOpen();
		}
	}

	@Test
	void textThatIsNotUtf8IsClosedWith1007() throws Exception {
		try (RawWebSocket client = authenticated()) {
			client.send(RawWebSocket.TEXT, true, new byte[] { 'h', 'i', (byte) 0xC3, (byte) 0x28 });
			assertThat(client.awaitClose()).isEqualTo(1007);
		}
	}

	private RawWebSocket authenticated() throws Exception {
		RawWebSocket client = RawWebSocket.open(this.port);
		String user = "raw-" + UUID.randomUUID();
		client.sendText("{\"type\":\"auth\",\"token\":\"" + this.tokens.sign(user, Duration.ofMinutes(5), List.of()) + "\"}");
		client.awaitText("\"type\":\"live\"");
		return client;
	}

}
