/** Dev tokens: {@code POST /api/dev/tokens}, only where local mode turns it on. */
@NullMarked
package io.inloop.api.devtokens;

import org.jspecify.annotations.NullMarked;
