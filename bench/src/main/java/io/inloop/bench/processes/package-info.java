/**
 * The processes of the stack under test, found on this machine by their command lines, and what
 * they used: CPU time (user + system) per process and per thread from {@code /proc}, resident
 * memory and thread counts.
 */
@NullMarked
package io.inloop.bench.processes;

import org.jspecify.annotations.NullMarked;
