package io.inloop.examples.host;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Any Spring Boot app: with the worker starter and a {@code JobHandler} bean, it is also an Inloop worker. */
@SpringBootApplication
public class HostApplication {

	public static void main(String[] args) {
		SpringApplication.run(HostApplication.class, args);
	}

}
