package io.inloop.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

/**
 * The whole worker against the run's shared embedded broker, with Inloop's topics created. Every
 * test class using it shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				// Short intervals keep the tests fast; what they test does not depend on the lengths
				"inloop.worker.heartbeat-interval=300ms", "inloop.worker.retry.initial-interval=100ms",
				"inloop.worker.retry.max-interval=200ms", "inloop.worker.retry.jitter=20ms",
				"inloop.worker.shutdown-grace=2s", "inloop.worker.concurrency=4",
				// A dead worker's command is delivered again this soon
				"inloop.worker.queue.lock-duration=3s",
				// Shorter than waits some tests make a cancelled job go through: it must be remembered anyway
				"inloop.worker.cancellation.remember=1s",
				"inloop.security.jwt.public-key-location=classpath:test-jwt-public.pem" })
@Import(InloopTopics.class)
public @interface WorkerTest {

}
