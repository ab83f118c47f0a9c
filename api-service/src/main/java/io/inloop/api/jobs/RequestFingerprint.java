package io.inloop.api.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import io.inloop.schemas.SubmitJob;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a submission asks for, as a SHA-256 digest: its type, payload (as JSON, whatever the order
 * of its keys and its spacing), attempts and timeout. Two requests with one {@code Idempotency-Key}
 * ask for the same job when their fingerprints are equal; a job's command gives the fingerprint of
 * the request that made it.
 */
final class RequestFingerprint {

	private static final JsonMapper json = JsonMapper.builder().build();

	private RequestFingerprint() {
	}

	static String of(JobRequest request) {
		return digest(request.type(), request.payload(), request.maxAttempts(), request.timeout().toMillis());
	}

	static String of(SubmitJob command) {
		return digest(command.getType(), command.getPayload(), command.getMaxAttempts(), command.getTimeoutMillis());
	}

	private static String digest(String type, String payload, int maxAttempts, long timeoutMillis) {
		String canonical = type + "\n" + maxAttempts + "\n" + timeoutMillis + "\n"
				+ json.writeValueAsString(sorted(json.readTree(payload)));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java has SHA-256", ex);
		}
	}

	/** {@code node} with every object's keys in order, so key order does not change the digest. */
	private static Object sorted(JsonNode node) {
		if (node instanceof ObjectNode object) {
			Map<String, Object> fields = new TreeMap<>();
			object.properties().forEach((field) -> fields.put(field.getKey(), sorted(field.getValue())));
			return fields;
		}
		if (node.isArray()) {
			return node.valueStream().map(RequestFingerprint::sorted).toList();
		}
		return node;
	}

}
