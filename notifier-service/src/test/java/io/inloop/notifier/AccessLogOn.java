package io.inloop.notifier;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Reactor Netty's access log, on in tests: every test's requests are logged, and none may show a token. */
@TestConfiguration(proxyBeanMethods = false)
public class AccessLogOn {

	@Bean
	NettyServerCustomizer accessLogOn() {
		return (server) -> server.accessLog(true);
	}

}
