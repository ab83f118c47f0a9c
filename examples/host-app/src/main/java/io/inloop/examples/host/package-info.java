/**
 * A host app that runs its own job type: one {@link io.inloop.worker.handler.JobHandler} bean and
 * the {@code inloop-worker-spring-boot-starter} dependency.
 */
@NullMarked
package io.inloop.examples.host;

import org.jspecify.annotations.NullMarked;
