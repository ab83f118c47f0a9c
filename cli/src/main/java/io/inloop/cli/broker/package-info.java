/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) running in this JVM, or a
 * cluster of them each in a process of its own ({@code start --brokers 3}), with
 * its storage on disk so that history survives a restart, and the creation of Inloop's topics.
 */
@NullMarked
package io.inloop.cli.broker;

import org.jspecify.annotations.NullMarked;
