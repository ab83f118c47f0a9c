/** The embedded Kafka broker shared by a module's test run. */
@NullMarked
package io.inloop.testbroker;

import org.jspecify.annotations.NullMarked;
