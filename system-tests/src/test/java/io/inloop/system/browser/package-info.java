/**
 * The browser client, the toasts and the demo page in a real headless Chromium (Debian's, never a
 * downloaded one), against the whole system.
 */
@NullMarked
package io.inloop.system.browser;

import org.jspecify.annotations.NullMarked;
