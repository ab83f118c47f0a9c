package io.inloop.notifier.demo;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /demo/config.json}: the settings the demo page reads before it does anything else. */
@RestController
class DemoConfigController {

	private final DemoSettings settings;

	DemoConfigController(DemoSettings settings) {
		this.settings = settings;
	}

	@GetMapping("/demo/config.json")
	ResponseEntity<DemoConfig> config() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new DemoConfig(this.settings.apiUrl()));
	}

	/** @param apiUrl where the page calls api-service */
	record DemoConfig(String apiUrl) {
	}

}
