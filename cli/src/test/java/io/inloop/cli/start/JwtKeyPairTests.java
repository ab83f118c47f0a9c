package io.inloop.cli.start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JwtKeyPairTests {

	@TempDir
	Path home;

	@Test
	void isGeneratedOnceAndKeptWithThePrivateKeyReadableByItsOwnerOnly() throws Exception {
		JwtKeyPair keys = JwtKeyPair.loadOrCreate(this.home);
		String privatePem = Files.readString(keys.privateKey());
		assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(Files.readString(keys.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.privateKey()))).isEqualTo("rw-------");
		RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
			.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
		RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
			.generatePublic(new X509EncodedKeySpec(der(Files.readString(keys.publicKey()))));
		assertThat(publicKey.getModulus()).isEqualTo(privateKey.getModulus());
		assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);

		JwtKeyPair again = JwtKeyPair.loadOrCreate(this.home);
		assertThat(Files.readString(again.privateKey())).isEqualTo(privatePem);
	}

	@Test
	void onlyTheApiThatMintsDevTokensIsGivenThePrivateKey() {
		JwtKeyPair keys = JwtKeyPair.loadOrCreate(this.home);
		String publicKey = "file:" + keys.publicKey().toAbsolutePath();
		String privateKey = "file:" + keys.privateKey().toAbsolutePath();
		assertThat(keys.environmentFor(InloopService.WORKER))
			.containsExactlyEntriesOf(Map.of("INLOOP_SECURITY_JWT_PUBLIC_KEY_LOCATION", publicKey));
		assertThat(keys.environmentFor(InloopService.NOTIFIER))
			.containsExactlyEntriesOf(Map.of("INLOOP_SECURITY_JWT_PUBLIC_KEY_LOCATION", publicKey));
		assertThat(keys.environmentFor(InloopService.API))
			.containsExactlyInAnyOrderEntriesOf(Map.of("INLOOP_SECURITY_JWT_PUBLIC_KEY_LOCATION", publicKey,
					"INLOOP_SECURITY_JWT_PRIVATE_KEY_LOCATION", privateKey));
	}

	@Test
	void servicesInTheStacksJvmAreGivenTheSameKeysAsArguments() {
		JwtKeyPair keys = JwtKeyPair.loadOrCreate(this.home);
		String publicKey = "file:" + keys.publicKey().toAbsolutePath();
		assertThat(keys.argumentsFor(InloopService.WORKER))
			.containsExactly("--inloop.security.jwt.public-key-location=" + publicKey);
		assertThat(keys.argumentsFor(InloopService.API)).containsExactly(
				"--inloop.security.jwt.private-key-location=file:" + keys.privateKey().toAbsolutePath(),
				"--inloop.security.jwt.public-key-location=" + publicKey);
	}

	private static byte[] der(String pem) {
		return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
	}

}
