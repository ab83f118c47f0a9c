/**
 * Inloop's services while they run: as real child processes ({@link io.inloop.cli.process.ServiceProcess})
 * or in this JVM, each in a class loader of its own ({@link io.inloop.cli.process.ServiceInJvm});
 * locating their jars, starting them with their logs captured, waiting for readiness, stopping them
 * gracefully or killing them. Used by the {@code start} command and by the system tests.
 */
@NullMarked
package io.inloop.cli.process;

import org.jspecify.annotations.NullMarked;
