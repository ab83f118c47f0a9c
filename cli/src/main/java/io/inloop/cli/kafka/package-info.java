/**
 * What the Kafka tools share: how to reach a cluster, cursors, and a bounded (or following) scan
 * of assigned partitions without a consumer group.
 */
@NullMarked
package io.inloop.cli.kafka;

import org.jspecify.annotations.NullMarked;
