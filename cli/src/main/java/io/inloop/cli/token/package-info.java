/** {@code inloop token}: tokens signed with the local stack's key, e.g. a service's {@code jobs:submit-for} token. */
@NullMarked
package io.inloop.cli.token;

import org.jspecify.annotations.NullMarked;
