/**
 * Every error kind of the API, with its stable problem {@code type} URI, in one place
 * ({@link io.inloop.api.problems.ApiProblem}); docs/api.md lists them for clients.
 */
@NullMarked
package io.inloop.api.problems;

import org.jspecify.annotations.NullMarked;
