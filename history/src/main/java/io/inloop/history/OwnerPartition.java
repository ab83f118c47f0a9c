package io.inloop.history;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition of the status topic that holds an owner's events: the topic is keyed by owner and
 * written with Kafka's default partitioner, which places a keyed record exactly like this
 * (BuiltInPartitioner.partitionForKey).
 */
public final class OwnerPartition {

	private OwnerPartition() {
	}

	public static int of(String owner, int partitions) {
		return Utils.toPositive(Utils.murmur2(owner.getBytes(StandardCharsets.UTF_8))) % partitions;
	}

}
