package io.inloop.cli.broker;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;

/**
 * Share groups (the workers' command queue) need the {@code share.version} feature: storage
 * formatted by Kafka 4.2 or later has it, an older local data folder is upgraded here once.
 */
final class Features {

	static final String SHARE_VERSION = "share.version";

	private Features() {
	}

	static void enableShareGroups(String bootstrapServers) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			FinalizedVersionRange finalized = admin.describeFeatures()
				.featureMetadata()
				.get(30, TimeUnit.SECONDS)
				.finalizedFeatures()
				.get(SHARE_VERSION);
			if (finalized == null || finalized.maxVersionLevel() < 1) {
				admin.updateFeatures(Map.of(SHARE_VERSION, new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.UPGRADE)),
						new UpdateFeaturesOptions())
					.all()
					.get(30, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("Could not enable share groups on the local broker: " + ex.getMessage(), ex);
		}
	}

}
