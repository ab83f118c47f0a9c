package io.inloop.cli.broker;

import java.nio.file.Path;

/**
 * Points the broker's logging (Log4j 2, through SLF4J) at {@code logs/<name>.log}; the console
 * gets its errors only. Log4j reads its configuration when the first logger is made, which may
 * be before the log folder is known (a subcommand that makes one when it is built): so it is
 * read again here. Where another binding serves SLF4J (a test's), that one keeps its own.
 */
public final class BrokerLogging {

	static final String CONFIGURATION = "inloop-cli-log4j2.xml";

	private BrokerLogging() {
	}

	/** The broker of {@code inloop start}: {@code logs/kafka.log}. */
	public static void writeTo(Path logs) {
		writeTo(logs, "kafka");
	}

	static void writeTo(Path logs, String name) {
		setIfAbsent("log4j2.configurationFile", CONFIGURATION);
		setIfAbsent("inloop.logs", logs.toString());
		setIfAbsent("inloop.log-name", name);
		// Its errors on the console under its name, in the services' column.
		setIfAbsent("inloop.console-name", String.format(java.util.Locale.ROOT, "%-18s", name));
		if (isLog4jCore()) {
			Log4jConfiguration.reload(CONFIGURATION);
		}
	}

	private static boolean isLog4jCore() {
		try {
			Class.forName("org.apache.logging.log4j.core.config.Configurator", false, BrokerLogging.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

	private static void setIfAbsent(String name, String value) {
		if (System.getProperty(name) == null) {
			System.setProperty(name, value);
		}
	}

}
