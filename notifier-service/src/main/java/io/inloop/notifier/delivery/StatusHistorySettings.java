package io.inloop.notifier.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How old events are read back from the status topic.
 *
 * @param readers threads that read back at once; more requests wait their turn
 */
@ConfigurationProperties("inloop.notifier.history")
public record StatusHistorySettings(int readers) {

}
