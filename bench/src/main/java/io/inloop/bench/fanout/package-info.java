/**
 * W4: fan-out. Thousands of users connected, a synthetic producer writing their jobs' status
 * records to Kafka at a set rate; frames delivered per second, push lag and loss, and whether a
 * client that never reads slows the others.
 */
@NullMarked
package io.inloop.bench.fanout;

import org.jspecify.annotations.NullMarked;
