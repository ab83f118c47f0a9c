/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) running in this JVM, with
 * its storage on disk so that history survives a restart, and the creation of Inloop's topics.
 */
@NullMarked
package io.inloop.cli.broker;

import org.jspecify.annotations.NullMarked;
