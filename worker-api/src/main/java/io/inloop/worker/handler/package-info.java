/**
 * The API for job handlers: implement {@link io.inloop.worker.handler.JobHandler} as a bean,
 * report through {@link io.inloop.worker.handler.JobContext}, and end a job with a result or a
 * failure ({@link io.inloop.worker.handler.JobFailure}, carried by a
 * {@link io.inloop.worker.handler.JobFailedException}).
 */
@NullMarked
package io.inloop.worker.handler;

import org.jspecify.annotations.NullMarked;
