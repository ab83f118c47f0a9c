package io.inloop.notifier.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.ClassPathResource;

/**
 * A client module as a classic script, for {@code <script src>} without {@code type="module"}: the
 * IIFE that esbuild builds from the module's source (clients/js, {@code npm run build}), which sets
 * {@code window.Inloop} and leaks nothing else. The {@code inloop-client-js} jar carries it in
 * {@value #LOCATION}, beside the modules in {@code static/}.
 *
 * @param body the script, UTF-8
 * @param etag a strong validator of the body
 */
record ClassicScript(byte[] body, String etag) {

	static final String LOCATION = "META-INF/inloop/classic";

	/**
	 * The classic script of a module.
	 * @param staticPath the module's path, e.g. {@code /inloop.js}
	 * @return its classic script
	 */
	static ClassicScript of(String staticPath) {
		byte[] body;
		try {
			body = new ClassPathResource(LOCATION + staticPath).getContentAsByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No classic script of " + staticPath + " in " + LOCATION
					+ ": the inloop-client-js jar (clients/js, built with npm) must be on the classpath", ex);
		}
		return new ClassicScript(body, "\"" + sha256(body) + "\"");
	}

	private static String sha256(byte[] body) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
