/** What a run prints, appends to the results file and plots. */
@NullMarked
package io.inloop.bench.report;

import org.jspecify.annotations.NullMarked;
