/**
 * Runs jobs: consumes {@code SubmitJob} commands, drives the matching handler and publishes a
 * full {@code JobStatusChanged} snapshot for every change, committing a command only once its
 * terminal snapshot is written.
 */
@NullMarked
package io.inloop.worker.execution;

import org.jspecify.annotations.NullMarked;
