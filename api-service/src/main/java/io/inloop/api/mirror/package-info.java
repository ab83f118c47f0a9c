/**
 * The JSON mirror of the status topic ({@code inloop.job-status.json}): every status event as the
 * WebSocket's {@code job} frame, for consumers outside the JVM (docs/wire-format.md).
 */
@NullMarked
package io.inloop.api.mirror;

import org.jspecify.annotations.NullMarked;
