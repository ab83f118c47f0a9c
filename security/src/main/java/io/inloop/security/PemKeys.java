package io.inloop.security;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;

import org.springframework.core.io.Resource;
import org.springframework.security.converter.RsaKeyConverters;

/** RSA keys read from PEM files: X.509 public keys and PKCS#8 private keys. */
final class PemKeys {

	private PemKeys() {
	}

	static RSAPublicKey publicKey(Resource pem) {
		try (InputStream in = pem.getInputStream()) {
			return RsaKeyConverters.x509().convert(in);
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new IllegalStateException("Cannot read an RSA public key (PEM, X.509) from " + pem, ex);
		}
	}

	static RSAPrivateKey privateKey(Resource pem) {
		try (InputStream in = pem.getInputStream()) {
			return RsaKeyConverters.pkcs8().convert(in);
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new IllegalStateException("Cannot read an RSA private key (PEM, PKCS#8) from " + pem, ex);
		}
	}

	/** The public half of a private key (its modulus and public exponent). */
	static RSAPublicKey publicKeyOf(RSAPrivateKey key) {
		if (!(key instanceof RSAPrivateCrtKey crt)) {
			throw new IllegalStateException("The RSA private key does not carry its public exponent");
		}
		BigInteger modulus = crt.getModulus();
		try {
			return (RSAPublicKey) KeyFactory.getInstance("RSA")
				.generatePublic(new RSAPublicKeySpec(modulus, crt.getPublicExponent()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot derive the RSA public key", ex);
		}
	}

}
