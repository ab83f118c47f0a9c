/**
 * The worker service: consumes job commands, runs {@link io.inloop.worker.handler.JobHandler}
 * beans and publishes a full status snapshot for every change of a job.
 */
@NullMarked
package io.inloop.worker;

import org.jspecify.annotations.NullMarked;
