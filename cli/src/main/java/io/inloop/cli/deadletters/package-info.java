/**
 * {@code inloop dlt}: the commands that workers dead-lettered, listed with the error that sent them
 * there, and re-submitted to the command topic once the cause is fixed.
 */
@NullMarked
package io.inloop.cli.deadletters;

import org.jspecify.annotations.NullMarked;
