/** Reading the commands of submitted jobs back from Kafka, for whoever queues a job again. */
@NullMarked
package io.inloop.api.commands;

import org.jspecify.annotations.NullMarked;
