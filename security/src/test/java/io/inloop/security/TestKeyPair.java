package io.inloop.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** An RSA key pair written as the PEM files the services read. */
record TestKeyPair(Path publicKey, Path privateKey) {

	static TestKeyPair writeTo(Path dir) throws IOException, NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		Path publicKey = Files.writeString(dir.resolve("jwt-public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
		Path privateKey = Files.writeString(dir.resolve("jwt-private.pem"),
				pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
		return new TestKeyPair(publicKey, privateKey);
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	String publicKeyLocation() {
		return "inloop.security.jwt.public-key-location=file:" + this.publicKey;
	}

	String privateKeyLocation() {
		return "inloop.security.jwt.private-key-location=file:" + this.privateKey;
	}

}
