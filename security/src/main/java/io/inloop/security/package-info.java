/**
 * Bearer-token authentication shared by api-service and notifier-service: a JWT's {@code sub} is
 * the caller, and the job owner for everything the caller submits.
 */
@NullMarked
package io.inloop.security;

import org.jspecify.annotations.NullMarked;
