/**
 * Demo jobs that show what a user sees: a job that reports steps and one that always fails.
 */
@NullMarked
package io.inloop.worker.demo;

import org.jspecify.annotations.NullMarked;
