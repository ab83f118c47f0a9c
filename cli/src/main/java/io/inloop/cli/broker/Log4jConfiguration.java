package io.inloop.cli.broker;

import java.net.URISyntaxException;
import java.net.URL;

import org.apache.logging.log4j.core.config.Configurator;

/** Log4j's own API, apart so that {@link BrokerLogging} loads without Log4j where another binding serves. */
final class Log4jConfiguration {

	private Log4jConfiguration() {
	}

	/** Reads the configuration {@code resource} again, with the system properties as they are now. */
	static void reload(String resource) {
		URL configuration = Log4jConfiguration.class.getClassLoader().getResource(resource);
		if (configuration == null) {
			return;
		}
		try {
			Configurator.reconfigure(configuration.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Cannot read " + configuration, ex);
		}
	}

}
