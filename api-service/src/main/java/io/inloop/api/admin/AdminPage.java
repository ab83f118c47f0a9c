package io.inloop.api.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The dashboard page at {@code /admin}; its script and style are static resources beside it
 * ({@code static/admin/}). The page holds no data: everything it shows it asks {@code /admin/jobs}
 * for with the operator's token, so the page itself is public (a browser cannot send a bearer
 * token when it navigates).
 */
@Configuration(proxyBeanMethods = false)
class AdminPage {

	static final Resource PAGE = new ClassPathResource("static/admin/index.html");

	@Bean
	RouterFunction<ServerResponse> adminPageRoute() {
		return RouterFunctions.route()
			.GET("/admin", (request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(PAGE))
			.build();
	}

}
