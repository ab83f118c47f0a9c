package io.inloop.notifier;

import io.inloop.ops.ConfigurationDocs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code inloop.*} setting of notifier-service, as the configuration processor writes it for IDEs
 * (with its javadoc as description), is in docs/configuration.md with its default, and that table
 * names no setting notifier-service does not have.
 */
class ConfigurationDocsTests {

	@Test
	void metadataDescribesTheSettingsFromTheirJavadoc() {
		assertThat(ConfigurationDocs.settings())
			.containsKeys("inloop.security.jwt.public-key-location", "inloop.notifier.connections.queue-capacity")
			.hasEntrySatisfying("inloop.notifier.connections.queue-capacity",
					(description) -> assertThat(description).contains("frames a connection may have waiting"));
	}

	@Test
	void everySettingIsDocumented() {
		assertThat(ConfigurationDocs.undocumented("notifier-service"))
			.as("settings missing from %s", ConfigurationDocs.CONFIGURATION)
			.isEmpty();
	}

	@Test
	void theDocumentedDefaultsAreTheDefaults() {
		assertThat(ConfigurationDocs.defaultsDisagreeing("notifier-service")).isEmpty();
		assertThat(ConfigurationDocs.defaultsDisagreeing(ConfigurationDocs.EVERY_SERVICE)).isEmpty();
	}

	@Test
	void theDocumentationNamesNoSettingThatIsGone() {
		assertThat(ConfigurationDocs.stale("notifier-service"))
			.as("settings in %s that notifier-service does not have", ConfigurationDocs.CONFIGURATION)
			.isEmpty();
		assertThat(ConfigurationDocs.stale(ConfigurationDocs.EVERY_SERVICE)).isEmpty();
	}

}
