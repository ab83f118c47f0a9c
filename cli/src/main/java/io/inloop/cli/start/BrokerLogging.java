package io.inloop.cli.start;

import java.nio.file.Path;

/**
 * Points the broker's logging (Log4j 2, through SLF4J) at {@code logs/kafka.log}; the console
 * gets its errors only. Must run before Kafka's first logger is created.
 */
final class BrokerLogging {

	static final String CONFIGURATION = "inloop-cli-log4j2.xml";

	private BrokerLogging() {
	}

	static void writeTo(Path logs) {
		setIfAbsent("log4j2.configurationFile", CONFIGURATION);
		setIfAbsent("inloop.logs", logs.toString());
	}

	private static void setIfAbsent(String name, String value) {
		if (System.getProperty(name) == null) {
			System.setProperty(name, value);
		}
	}

}
