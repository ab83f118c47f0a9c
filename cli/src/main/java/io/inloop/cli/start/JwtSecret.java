package io.inloop.cli.start;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HMAC secret the local services share for JWTs, generated on first start and kept in a file
 * so that tokens handed out stay valid across restarts.
 */
final class JwtSecret {

	/** How services receive it: Spring's relaxed binding of {@code inloop.security.jwt.secret}. */
	static final String ENVIRONMENT_VARIABLE = "INLOOP_SECURITY_JWT_SECRET";

	private static final int SECRET_BYTES = 48;

	private JwtSecret() {
	}

	static String loadOrCreate(Path file) {
		try {
			if (Files.exists(file)) {
				String secret = Files.readString(file).trim();
				if (!secret.isEmpty()) {
					return secret;
				}
			}
			byte[] random = new byte[SECRET_BYTES];
			new SecureRandom().nextBytes(random);
			String secret = Base64.getEncoder().encodeToString(random);
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, secret + "\n");
			restrictToOwner(file);
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the JWT secret in " + file, ex);
		}
	}

	private static void restrictToOwner(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system: the folder's own permissions have to do.
		}
	}

}
