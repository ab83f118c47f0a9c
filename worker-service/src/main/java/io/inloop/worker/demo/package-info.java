/**
 * Demo jobs that show what a user sees: a job that reports steps, one that always fails and one
 * that fails a few times before it succeeds.
 */
@NullMarked
package io.inloop.worker.demo;

import org.jspecify.annotations.NullMarked;
