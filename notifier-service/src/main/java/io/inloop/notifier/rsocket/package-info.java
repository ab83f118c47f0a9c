/**
 * The RSocket transport for services: request-stream {@code jobs.events} over TCP, with a filter
 * and a bearer token in the metadata.
 */
@NullMarked
package io.inloop.notifier.rsocket;

import org.jspecify.annotations.NullMarked;
