package io.inloop.worker;

import io.inloop.ops.ConfigurationDocs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code inloop.*} setting of worker-service, as the configuration processor writes it for IDEs
 * (with its javadoc as description), is in docs/configuration.md with its default, and that table
 * names no setting worker-service does not have.
 */
class ConfigurationDocsTests {

	@Test
	void metadataDescribesTheSettingsFromTheirJavadoc() {
		assertThat(ConfigurationDocs.settings())
			.containsKeys("inloop.security.jwt.public-key-location", "inloop.worker.retry.jitter")
			.hasEntrySatisfying("inloop.worker.retry.jitter",
					(description) -> assertThat(description).contains("scaled like the interval"));
	}

	@Test
	void everySettingIsDocumented() {
		assertThat(ConfigurationDocs.undocumented("worker-service"))
			.as("settings missing from %s", ConfigurationDocs.CONFIGURATION)
			.isEmpty();
	}

	@Test
	void theDocumentedDefaultsAreTheDefaults() {
		assertThat(ConfigurationDocs.defaultsDisagreeing("worker-service")).isEmpty();
		assertThat(ConfigurationDocs.defaultsDisagreeing(ConfigurationDocs.EVERY_SERVICE)).isEmpty();
	}

	@Test
	void theDocumentationNamesNoSettingThatIsGone() {
		assertThat(ConfigurationDocs.stale("worker-service"))
			.as("settings in %s that worker-service does not have", ConfigurationDocs.CONFIGURATION)
			.isEmpty();
		assertThat(ConfigurationDocs.stale(ConfigurationDocs.EVERY_SERVICE)).isEmpty();
	}

}
