/**
 * The {@code inloop} command line: one picocli command with a subcommand per task.
 */
@NullMarked
package io.inloop.cli;

import org.jspecify.annotations.NullMarked;
