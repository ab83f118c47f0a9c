package io.inloop.api.history;

import java.time.Duration;

import io.inloop.history.ReadBacks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The read-backs of this instance: limited, and on threads of their own, not on the pool that serves job reads. */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

	static final Duration POLL = Duration.ofMillis(200);

	@Bean
	ReadBacks readBacks(HistorySettings settings) {
		return new ReadBacks(settings.readBacks(), "history-read-back", POLL);
	}

}
