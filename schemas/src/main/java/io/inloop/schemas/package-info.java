/**
 * Inloop's contracts: the Avro records every service exchanges through Kafka, the topic names,
 * the job state machine and the JSON view of a job that clients see.
 */
@NullMarked
package io.inloop.schemas;

import org.jspecify.annotations.NullMarked;
