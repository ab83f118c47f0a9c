package io.inloop.api;

import io.inloop.ops.ConfigurationDocs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code inloop.*} setting of api-service, as the configuration processor writes it for IDEs
 * (with its javadoc as description), is in docs/configuration.md with its default, and that table
 * names no setting api-service does not have.
 */
class ConfigurationDocsTests {

	@Test
	void metadataDescribesTheSettingsFromTheirJavadoc() {
		assertThat(ConfigurationDocs.settings())
			.containsKeys("inloop.security.jwt.public-key-location", "inloop.ledger.stall-after")
			.hasEntrySatisfying("inloop.ledger.stall-after",
					(description) -> assertThat(description).contains("reported STALLED"))
			.hasEntrySatisfying("inloop.api.history.read-backs.per-user",
					(description) -> assertThat(description).contains("429"));
	}

	@Test
	void everySettingIsDocumented() {
		assertThat(ConfigurationDocs.undocumented("api-service"))
			.as("settings missing from %s", ConfigurationDocs.CONFIGURATION)
			.isEmpty();
	}

	@Test
	void theDocumentedDefaultsAreTheDefaults() {
		assertThat(ConfigurationDocs.defaultsDisagreeing("api-service")).isEmpty();
		assertThat(ConfigurationDocs.defaultsDisagreeing(ConfigurationDocs.EVERY_SERVICE)).isEmpty();
	}

	@Test
	void theDocumentationNamesNoSettingThatIsGone() {
		assertThat(ConfigurationDocs.stale("api-service"))
			.as("settings in %s that api-service does not have", ConfigurationDocs.CONFIGURATION)
			.isEmpty();
		assertThat(ConfigurationDocs.stale(ConfigurationDocs.EVERY_SERVICE)).isEmpty();
	}

}
