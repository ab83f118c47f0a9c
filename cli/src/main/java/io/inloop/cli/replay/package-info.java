/**
 * {@code inloop replay}: the job status history read back from Kafka, filtered by job, owner,
 * type, state and time, printed or re-driven into another topic.
 */
@NullMarked
package io.inloop.cli.replay;

import org.jspecify.annotations.NullMarked;
