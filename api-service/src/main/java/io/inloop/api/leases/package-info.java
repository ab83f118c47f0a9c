/**
 * The end of a job's lease: when a running job's worker goes silent past the ledger's grace, its
 * next attempt is queued once and the silent attempt fenced (docs/architecture.md, "Leases").
 */
@NullMarked
package io.inloop.api.leases;

import org.jspecify.annotations.NullMarked;
