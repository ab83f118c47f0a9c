/** The latest snapshot of every job, as the status topic tells it. */
@NullMarked
package io.inloop.api.ledger;

import org.jspecify.annotations.NullMarked;
