/**
 * The job status history, read back from Kafka: the partitions an owner's events are in, the
 * offsets a time range starts and ends at (offsets-for-times, not a scan from the beginning), and
 * a bounded scan. Used by the replay tool and the history endpoints alike.
 */
@NullMarked
package io.inloop.history;

import org.jspecify.annotations.NullMarked;
