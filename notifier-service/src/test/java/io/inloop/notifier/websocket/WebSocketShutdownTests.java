package io.inloop.notifier.websocket;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.inloop.notifier.NotifierApplication;
import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.subscriptions.Connections;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Its own notifier, since the test stops it. */
class WebSocketShutdownTests {

	@Test
	void openConnectionsAreClosedAsGoingAwayWhenTheNotifierStops() {
		ConfigurableApplicationContext notifier = new SpringApplicationBuilder(NotifierApplication.class).run(
				"--server.port=0", "--spring.kafka.bootstrap-servers=" + StatusTopic.brokers(),
				"--inloop.security.jwt.secret=" + NotifierTest.SECRET, "--spring.rsocket.server.port=0");
		try {
			String port = notifier.getEnvironment().getRequiredProperty("local.server.port");
			String token = new TokenSigner(NotifierTest.SECRET).sign("frank", Duration.ofMinutes(5), List.of());
			WebSocketClient client = WebSocketClient.connect(URI.create("ws://localhost:" + port + "/ws"),
					Map.of("Authorization", "Bearer " + token));
			await().until(() -> notifier.getBean(Connections.class).count("frank") == 1);

			notifier.close();

			assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1001);
		}
		finally {
			notifier.close();
		}
	}

}
