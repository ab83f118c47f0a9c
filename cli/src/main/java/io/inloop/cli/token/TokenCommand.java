package io.inloop.cli.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.inloop.cli.process.InloopHome;
import io.inloop.cli.start.JwtKeyPair;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code inloop token}: a JWT (RS256) signed with the local stack's private key, for a user or for
 * a service, with the scopes asked for. The token alone goes to stdout, so that
 * {@code TOKEN=$(./inloop token ...)} works. Where an identity provider issues the tokens, it
 * issues these too (docs/submitting-for-users.md).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
		description = "Prints a token signed with the local stack's key (.inloop/jwt-private.pem), e.g. for a "
				+ "backend that submits jobs for users (scope jobs:submit-for).",
		footer = { "", "Examples:", "  inloop token --subject alice",
				"  inloop token --subject billing-service --scope jobs:submit-for --ttl 1h",
				"  inloop token --subject prometheus --scope metrics --ttl 24h" })
public final class TokenCommand implements Callable<Integer> {

	static final Duration MAX_TTL = Duration.ofHours(24);

	private static final Pattern SUBJECT = Pattern.compile("[^\\s\\p{Cntrl}]{1,255}");

	private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--subject", required = true, paramLabel = "<sub>",
			description = "Who the token is for: a user id, or a service's name (the submitter of its jobs).")
	@SuppressWarnings("NullAway.Init")
	String subject;

	@Option(names = "--scope", split = ",", paramLabel = "<scope>",
			description = "A scope the token grants: jobs:submit-for, events:all, metrics, admin (repeat or comma-separate).")
	List<String> scopes = new ArrayList<>();

	@Option(names = "--ttl", defaultValue = "1h", paramLabel = "<duration>", converter = TtlArgument.class,
			description = "How long it lives: 30m, 8h, 24h at most (the services' inloop.security.jwt.max-lifetime; default: ${DEFAULT-VALUE}).")
	@SuppressWarnings("NullAway.Init")
	Duration ttl;

	@Option(names = "--private-key", paramLabel = "<pem>",
			description = "The PKCS#8 PEM key to sign with (default: .inloop/jwt-private.pem in the repository, made by inloop start).")
	@Nullable Path privateKey;

	@Option(names = "--issuer", paramLabel = "<iss>", description = "The iss claim, where the services check one (inloop.security.jwt.issuer).")
	@Nullable String issuer;

	@Option(names = "--audience", split = ",", paramLabel = "<aud>",
			description = "The aud claim, where the services check one (inloop.security.jwt.audiences).")
	List<String> audiences = new ArrayList<>();

	@Override
	public Integer call() {
		if (!SUBJECT.matcher(this.subject).matches()) {
			return refuse("--subject must be 1-255 characters without spaces or control characters");
		}
		for (String scope : this.scopes) {
			if (!SCOPE.matcher(scope).matches()) {
				return refuse("--scope " + scope + ": a scope is 1-64 letters, digits or :._-");
			}
		}
		Path key = (this.privateKey != null) ? this.privateKey : defaultKey();
		if (!Files.isRegularFile(key)) {
			return refuse("No private key at " + key + ": run ./inloop start once (it makes the key pair), or pass --private-key");
		}
		try {
			Instant now = Instant.now();
			JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(this.subject)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plus(this.ttl)));
			if (!this.scopes.isEmpty()) {
				claims.claim("scope", String.join(" ", this.scopes));
			}
			if (this.issuer != null) {
				claims.issuer(this.issuer);
			}
			if (!this.audiences.isEmpty()) {
				claims.audience(this.audiences);
			}
			SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
			token.sign(new RSASSASigner(readPrivateKey(key)));
			this.spec.commandLine().getOut().println(token.serialize());
			this.spec.commandLine().getOut().flush();
			this.spec.commandLine().getErr().println("Token for " + this.subject
					+ (this.scopes.isEmpty() ? "" : " with " + String.join(", ", this.scopes)) + ", expires "
					+ now.plus(this.ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
			this.spec.commandLine().getErr().flush();
			return 0;
		}
		catch (IOException | GeneralSecurityException | IllegalArgumentException | JOSEException ex) {
			return refuse("Cannot sign with " + key + ": " + ex.getMessage());
		}
	}

	private int refuse(String message) {
		this.spec.commandLine().getErr().println(message);
		this.spec.commandLine().getErr().flush();
		return 2;
	}

	private static Path defaultKey() {
		return JwtKeyPair.in(InloopHome.localStack()).privateKey();
	}

	private static RSAPrivateKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
		String text = Files.readString(pem);
		if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
			throw new GeneralSecurityException("not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
		}
		byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
		return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
	}

	/** A lifetime: {@code 90s}, {@code 30m}, {@code 8h}, or ISO-8601 ({@code PT8H}); 24 h at most. */
	static final class TtlArgument implements ITypeConverter<Duration> {

		private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([smh])");

		@Override
		public Duration convert(String value) {
			Duration ttl = parse(value.trim());
			if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
				throw new TypeConversionException("'" + value + "' must be more than 0 and at most 24h");
			}
			return ttl;
		}

		private static Duration parse(String text) {
			Matcher matcher = SHORT.matcher(text);
			if (matcher.matches()) {
				long amount = Long.parseLong(matcher.group(1));
				return switch (matcher.group(2)) {
					case "s" -> Duration.ofSeconds(amount);
					case "m" -> Duration.ofMinutes(amount);
					default -> Duration.ofHours(amount);
				};
			}
			try {
				return Duration.parse(text);
			}
			catch (java.time.format.DateTimeParseException ex) {
				throw new TypeConversionException("'" + text + "' is not a duration such as 30m, 8h or PT8H");
			}
		}

	}

}
