package io.inloop.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * The API refused a request: its problem+json answer (RFC 9457), e.g. 400 for a bad job, 401 for
 * a missing or expired token, 403 for a scope the token lacks, 404 for a job that is not the
 * caller's, 409 for cancelling a job that has ended, 503 when the job could not be queued.
 */
public class InloopApiException extends RuntimeException {

	private final int status;

	private final URI type;

	private final @Nullable String title;

	private final @Nullable String detail;

	private final @Nullable String instance;

	public InloopApiException(int status, @Nullable URI type, @Nullable String title, @Nullable String detail,
			@Nullable String instance) {
		super(status + " " + ((title != null) ? title : "") + ((detail != null) ? ": " + detail : ""));
		this.status = status;
		this.type = (type != null) ? type : URI.create("about:blank");
		this.title = title;
		this.detail = detail;
		this.instance = instance;
	}

	/** The HTTP status. */
	public int status() {
		return this.status;
	}

	/**
	 * What kind of problem it is: stable, e.g. {@code https://inloop.dev/problems/job-not-found}
	 * (docs/api.md lists them); {@code about:blank} when the answer carried none.
	 */
	public URI type() {
		return this.type;
	}

	/** The status in words, e.g. {@code Forbidden}. */
	public @Nullable String title() {
		return this.title;
	}

	/** What is wrong, in words for a developer. */
	public @Nullable String detail() {
		return this.detail;
	}

	/** The path of the refused request. */
	public @Nullable String instance() {
		return this.instance;
	}

	/** Whether the same request may succeed later (429, 503): the job was not accepted, try again. */
	public boolean isRetryable() {
		return this.status == 429 || this.status == 503;
	}

}
