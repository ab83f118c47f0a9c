package io.inloop.notifier.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;

/**
 * A client module as a classic script, for {@code <script src>} without {@code type="module"}:
 * the same file with its {@code export} keywords dropped, inside a function so nothing but
 * {@code window.Inloop} (which the module sets as well) leaks. No build step: the module is the
 * one source, and its rule (docs/browser-client.md) keeps this a plain text edit.
 *
 * @param body the script, UTF-8
 * @param etag a strong validator of the body
 */
record ClassicScript(byte[] body, String etag) {

	private static final Pattern EXPORT = Pattern.compile("(?m)^export (?=(?:async )?function |const |class )");

	private static final Pattern MODULE_SYNTAX = Pattern.compile("(?m)^\\s*(?:export|import)\\b");

	static ClassicScript of(String staticPath) {
		String module;
		try {
			module = new ClassPathResource("static" + staticPath).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No client file " + staticPath, ex);
		}
		String script = EXPORT.matcher(module).replaceAll("");
		if (MODULE_SYNTAX.matcher(script).find()) {
			throw new IllegalStateException(staticPath + " breaks the client source rule: 'export' only at the start "
					+ "of a line before function, const or class, and no 'import'");
		}
		byte[] body = ("(function () {\n'use strict';\n" + script + "\n})();\n").getBytes(StandardCharsets.UTF_8);
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
