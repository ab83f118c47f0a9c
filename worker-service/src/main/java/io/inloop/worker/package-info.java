/**
 * The worker service: the worker starter ({@code inloop-worker-spring-boot-starter}) with the demo
 * handlers, a secured management port and its own {@code application.yml}.
 */
@NullMarked
package io.inloop.worker;

import org.jspecify.annotations.NullMarked;
