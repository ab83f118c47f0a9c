package io.inloop.cli.start;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The RSA key pair of the local stack's tokens (RS256), generated on first start and kept next to
 * the data, so that tokens handed out stay valid across restarts. Only api-service, which mints
 * dev tokens, is given the private key; the worker and the notifiers only validate tokens and get
 * the public one.
 *
 * @param privateKey PEM (PKCS#8), readable by its owner only
 * @param publicKey PEM (X.509)
 */
public record JwtKeyPair(Path privateKey, Path publicKey) {

	/** Where services read them: {@code inloop.security.jwt.*-location}. */
	static final String PUBLIC_KEY_PROPERTY = "inloop.security.jwt.public-key-location";

	static final String PRIVATE_KEY_PROPERTY = "inloop.security.jwt.private-key-location";

	private static final int KEY_BITS = 2048;

	/** The pair's files in the stack's {@code home}, whether they exist yet or not. */
	public static JwtKeyPair in(Path home) {
		return new JwtKeyPair(home.resolve("jwt-private.pem"), home.resolve("jwt-public.pem"));
	}

	static JwtKeyPair loadOrCreate(Path home) {
		JwtKeyPair files = in(home);
		try {
			if (Files.size(files.privateKey) > 0 && Files.size(files.publicKey) > 0) {
				return files;
			}
		}
		catch (IOException ex) {
			// Not there yet: generate them.
		}
		files.generate();
		return files;
	}

	/** What {@code service} is given: the public key, and the private key only where tokens are minted. */
	Map<String, String> propertiesFor(InloopService service) {
		String publicKey = "file:" + this.publicKey.toAbsolutePath();
		if (service == InloopService.API) {
			return Map.of(PUBLIC_KEY_PROPERTY, publicKey, PRIVATE_KEY_PROPERTY,
					"file:" + this.privateKey.toAbsolutePath());
		}
		return Map.of(PUBLIC_KEY_PROPERTY, publicKey);
	}

	/**
	 * The same as environment variables of its process (Spring's relaxed binding:
	 * {@code INLOOP_SECURITY_JWT_PUBLIC_KEY_LOCATION}), which no other process can read.
	 */
	Map<String, String> environmentFor(InloopService service) {
		Map<String, String> environment = new TreeMap<>();
		propertiesFor(service).forEach((property, value) -> environment
			.put(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
		return environment;
	}

	/** The same as program arguments, for a service in the stack's own JVM (which has one environment). */
	List<String> argumentsFor(InloopService service) {
		return new TreeMap<>(propertiesFor(service)).entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toList();
	}

	private void generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(KEY_BITS);
			KeyPair pair = generator.generateKeyPair();
			Files.createDirectories(this.privateKey.toAbsolutePath().getParent());
			Files.deleteIfExists(this.privateKey);
			Files.createFile(this.privateKey);
			restrictToOwner(this.privateKey);
			Files.writeString(this.privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
			Files.writeString(this.publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the JWT key pair in " + this.privateKey.getParent(), ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("This JVM cannot generate RSA keys", ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\n-----END "
				+ type + "-----\n";
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
