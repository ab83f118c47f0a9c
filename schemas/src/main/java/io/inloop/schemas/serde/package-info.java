/**
 * Kafka serde for Inloop's Avro records in single-object encoding: every value carries its
 * writer schema's fingerprint, so readers resolve older versions without a registry.
 */
@NullMarked
package io.inloop.schemas.serde;

import org.jspecify.annotations.NullMarked;
