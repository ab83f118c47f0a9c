/**
 * Runs jobs: consumes {@code SubmitJob} commands, drives the matching handler and publishes a
 * full {@code JobStatusChanged} snapshot for every change, committing a command only once its
 * terminal snapshot is written. {@link io.inloop.worker.execution.WorkerAutoConfiguration} brings
 * it into any Spring Boot app with {@link io.inloop.worker.handler.JobHandler} beans.
 */
@NullMarked
package io.inloop.worker.execution;

import org.jspecify.annotations.NullMarked;
