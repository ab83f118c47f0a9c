package io.inloop.testbroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * Starts one embedded broker before a test run and stops it after, when the run's
 * {@code junit-platform.properties} say {@code inloop.test-broker.enabled=true}. Its address is in
 * the system property {@code spring.embedded.kafka.brokers}, as with spring-kafka-test's own
 * global broker, which does not start on Kafka 4.3 yet.
 * <ul>
 * <li>{@code inloop.test-broker.partitions}: partitions of topics the broker creates (default 1)</li>
 * <li>{@code inloop.test-broker.properties}: a classpath resource of broker settings</li>
 * </ul>
 */
public final class SharedTestBroker implements TestExecutionListener {

	private static final Log logger = LogFactory.getLog(SharedTestBroker.class);

	private @Nullable EmbeddedKafkaBroker broker;

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		ConfigurationParameters parameters = testPlan.getConfigurationParameters();
		if (!parameters.getBoolean("inloop.test-broker.enabled").orElse(false)) {
			return;
		}
		KraftTestBroker broker = new KraftTestBroker(parameters.get("inloop.test-broker.partitions", Integer::parseInt).orElse(1));
		parameters.get("inloop.test-broker.properties").ifPresent((location) -> load(location)
			.forEach((key, value) -> broker.brokerProperty((String) key, value)));
		broker.afterPropertiesSet();
		this.broker = broker;
		logger.info("Test broker started at " + broker.getBrokersAsString());
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		if (this.broker != null) {
			this.broker.destroy();
			this.broker = null;
		}
	}

	/**
	 * The broker settings at {@code location} ({@code classpath:} or a plain resource name), as the
	 * shared broker takes them: for a test that starts a broker of its own with the same settings.
	 */
	public static Properties load(String location) {
		String resource = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
		Properties properties = new Properties();
		try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No broker properties at " + location);
			}
			properties.load(in);
			return properties;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
