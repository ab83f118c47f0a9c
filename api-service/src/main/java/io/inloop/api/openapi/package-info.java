/**
 * The OpenAPI document of the API, {@code /v3/api-docs} (springdoc): what the controllers'
 * annotations do not say (security, problems, the shared job shape) is added here.
 */
@NullMarked
package io.inloop.api.openapi;

import org.jspecify.annotations.NullMarked;
