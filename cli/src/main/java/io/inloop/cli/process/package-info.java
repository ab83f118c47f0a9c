/**
 * Inloop's services as real child processes: locating their jars, starting them with their logs
 * captured, waiting for readiness, stopping them gracefully or killing them. Used by the
 * {@code start} command and by the system tests.
 */
@NullMarked
package io.inloop.cli.process;

import org.jspecify.annotations.NullMarked;
