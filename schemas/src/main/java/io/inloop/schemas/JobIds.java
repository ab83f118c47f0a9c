package io.inloop.schemas;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/** Job ids: time-ordered UUIDs, or, for an idempotent request, one derived from its key (the API and {@code inloop dlt resubmit}). */
public final class JobIds {

	private static final SecureRandom random = new SecureRandom();

	private JobIds() {
	}

	/** A new id in the UUID version 7 layout, so ids sort by submission time. */
	public static String next() {
		long millis = System.currentTimeMillis();
		long most = (millis << 16) | 0x7000L | (random.nextInt() & 0x0fffL);
		long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

	/**
	 * The same id for the same owner and {@code Idempotency-Key}, every time (UUID version 8
	 * from SHA-256), so a repeated request finds the job the first one made.
	 */
	public static String forIdempotencyKey(String owner, String key) {
		return idOf(key, owner);
	}

	/**
	 * The same id for the same owner, submitter and {@code Idempotency-Key}: a service that submits
	 * for a user ({@code jobs:submit-for}) has keys of its own, apart from the user's and from other
	 * services'. When the submitter is the owner, the id is {@link #forIdempotencyKey(String, String)}'s.
	 */
	public static String forIdempotencyKey(String owner, String submitter, String key) {
		return owner.equals(submitter) ? idOf(key, owner) : idOf(key, owner, submitter);
	}

	/**
	 * The id of a later try of an idempotent request whose earlier job was never submitted (its
	 * command refused by Kafka): {@code generation} 0 is
	 * {@link #forIdempotencyKey(String, String, String)}'s id, each later one another id, the same
	 * every time.
	 */
	public static String forIdempotencyKey(String owner, String submitter, String key, int generation) {
		// A NUL never appears in a key (visible ASCII): no key's id is another key's generation
		String tried = (generation == 0) ? key : key + '\0' + generation;
		return forIdempotencyKey(owner, submitter, tried);
	}

	// Each name is length-prefixed and ends with a NUL, which a key (visible ASCII) never holds: no two inputs hash alike.
	private static String idOf(String key, String... names) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			for (String name : names) {
				sha.update(Integer.toString(name.length()).getBytes(StandardCharsets.UTF_8));
				sha.update((byte) ':');
				sha.update(name.getBytes(StandardCharsets.UTF_8));
				sha.update((byte) 0);
			}
			sha.update(key.getBytes(StandardCharsets.UTF_8));
			ByteBuffer hash = ByteBuffer.wrap(sha.digest());
			long most = (hash.getLong() & ~0xf000L) | 0x8000L;
			long least = (hash.getLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
			return new UUID(most, least).toString();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

}
