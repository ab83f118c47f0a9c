package io.inloop.api.jobs;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.inloop.api.problems.ApiProblem;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Whose job a submission makes: the caller's (JWT {@code sub}), or, for a caller whose token holds
 * the scope {@code jobs:submit-for}, the user its request names in {@code owner}.
 */
@Component
class JobOwners {

	/** The scope that lets a service submit jobs owned by the users it names. */
	static final String SUBMIT_FOR_SCOPE = "jobs:submit-for";

	private static final String SUBMIT_FOR_AUTHORITY = "SCOPE_" + SUBMIT_FOR_SCOPE;

	private final Pattern userIds;

	JobOwners(SubmitForSettings settings) {
		try {
			this.userIds = Pattern.compile(settings.ownerPattern());
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalStateException("inloop.api.submit-for.owner-pattern is not a regular expression", ex);
		}
	}

	/**
	 * The owner of the job {@code caller} submits naming {@code owner}: 403 if the caller may not
	 * name another user, 400 if the name is not a user id.
	 */
	String ownerOf(Authentication caller, @Nullable String owner) {
		String subject = caller.getName();
		if (owner == null || owner.equals(subject)) {
			return subject;
		}
		if (caller.getAuthorities().stream().noneMatch((granted) -> SUBMIT_FOR_AUTHORITY.equals(granted.getAuthority()))) {
			throw ApiProblem.FORBIDDEN.exception("Submitting a job for another user (\"owner\") needs a token "
					+ "with the scope " + SUBMIT_FOR_SCOPE + "; leave \"owner\" out to submit a job of your own");
		}
		if (!this.userIds.matcher(owner).matches()) {
			throw JobRequest.badRequest("\"owner\" must be a user id (the owner's JWT sub) matching "
					+ this.userIds.pattern());
		}
		return owner;
	}

}
