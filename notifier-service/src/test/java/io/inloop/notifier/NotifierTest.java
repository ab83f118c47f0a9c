package io.inloop.notifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

/** The whole notifier on a random port against the shared embedded broker; one cached context for all. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"inloop.security.jwt.secret=" + NotifierTest.SECRET, "inloop.notifier.feed.retry-interval=100ms", "spring.rsocket.server.port=0",
				"inloop.notifier.connections.queue-capacity=4", "inloop.notifier.connections.max-per-user=3",
				"inloop.notifier.connections.sweep-interval=100ms", "inloop.notifier.resume.window=64",
				"inloop.notifier.history.read-backs.max-records=2000", "inloop.notifier.websocket.auth-timeout=1s" })
@Import(AccessLogOn.class)
public @interface NotifierTest {

	String SECRET = "notifier-test-secret-of-at-least-32-bytes";

}
