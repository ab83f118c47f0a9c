package io.inloop.cli.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Formats a KRaft log directory, once. Uses Kafka's storage {@link Formatter} in-process because
 * {@code kafka.tools.StorageTool.main} ends the JVM when it is done.
 */
final class StorageFormat {

	private static final String META_PROPERTIES = "meta.properties";

	private StorageFormat() {
	}

	static String newClusterId() {
		return Uuid.randomUuid().toString();
	}

	/**
	 * Format {@code logDir} for node {@code nodeId} of cluster {@code clusterId} unless it already
	 * holds a broker's {@code meta.properties}. The nodes of one cluster share its id.
	 */
	static boolean formatIfNeeded(Path logDir, int nodeId, String clusterId) {
		if (Files.exists(logDir.resolve(META_PROPERTIES))) {
			return false;
		}
		try {
			Files.createDirectories(logDir);
			new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
				.setClusterId(clusterId)
				.setNodeId(nodeId)
				.setDirectories(List.of(logDir.toAbsolutePath().toString()))
				.setMetadataLogDirectory(logDir.toAbsolutePath().toString())
				.setReleaseVersion(MetadataVersion.latestProduction())
				.setControllerListenerName(LocalBroker.CONTROLLER_LISTENER)
				.run();
			return true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create " + logDir, ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot format Kafka storage in " + logDir, ex);
		}
	}

}
