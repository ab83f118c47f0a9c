package io.inloop.notifier.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo page's settings.
 *
 * @param apiUrl where the browser reaches api-service (dev tokens, jobs), without a trailing slash
 */
@ConfigurationProperties("inloop.demo")
public record DemoSettings(@DefaultValue("http://localhost:8080") String apiUrl) {

	public DemoSettings {
		apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
	}

}
