package io.inloop.system.browser;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.inloop.system.InloopSystem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** api-service as the host application calls it, beside the page: to submit and to check. */
final class JobsApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final InloopSystem system;

	JobsApi(InloopSystem system) {
		this.system = system;
	}

	/** Submits a job for {@code user} and returns its id. */
	String submit(String user, String request) {
		JsonNode job = send(HttpRequest.newBuilder(this.system.api().resolve("/api/jobs"))
			.header("Authorization", "Bearer " + this.system.token(user))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(request))
			.build(), 202);
		return job.get("id").asString();
	}

	String state(String user, String job) {
		return send(HttpRequest.newBuilder(this.system.api().resolve("/api/jobs/" + job))
			.header("Authorization", "Bearer " + this.system.token(user))
			.GET()
			.build(), 200).get("state").asString();
	}

	/** The jobs of {@code user} (the latest 100), newest first. */
	JsonNode jobs(String user) {
		return send(HttpRequest.newBuilder(this.system.api().resolve("/api/jobs?limit=100"))
			.header("Authorization", "Bearer " + this.system.token(user))
			.GET()
			.build(), 200);
	}

	/** Cancels whatever {@code user} left running, so the next test does not queue behind it. */
	void cancelUnfinished(String user) {
		for (JsonNode job : jobs(user)) {
			String state = job.get("state").asString();
			if (!state.equals("SUCCEEDED") && !state.equals("FAILED") && !state.equals("CANCELLED")) {
				// 409 when it ended meanwhile.
				send(HttpRequest.newBuilder(this.system.api().resolve("/api/jobs/" + job.get("id").asString() + "/cancel"))
					.header("Authorization", "Bearer " + this.system.token(user))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), -1);
			}
		}
	}

	private JsonNode send(HttpRequest request, int expected) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (expected != -1 && response.statusCode() != expected) {
				throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
			}
			return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
