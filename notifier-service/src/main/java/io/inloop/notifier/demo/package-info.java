/**
 * What the demo page and the browser client need from the server besides the static files:
 * where the API is ({@code GET /demo/config.json}), and client files loadable from any origin.
 */
@NullMarked
package io.inloop.notifier.demo;

import org.jspecify.annotations.NullMarked;
