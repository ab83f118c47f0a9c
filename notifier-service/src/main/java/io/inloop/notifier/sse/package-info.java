/**
 * The {@code /events} transport: Server-Sent Events, each job frame an event whose {@code id} is
 * its cursor, so a browser's {@code EventSource} resumes by itself with {@code Last-Event-ID}.
 */
@NullMarked
package io.inloop.notifier.sse;

import org.jspecify.annotations.NullMarked;
