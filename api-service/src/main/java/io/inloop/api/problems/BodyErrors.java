package io.inloop.api.problems;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.MismatchedInputException;

/** What a client must fix in a JSON body Jackson could not read, in its terms: keys and JSON kinds, not Java types. */
final class BodyErrors {

	private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"([^\"]*)\"");

	private BodyErrors() {
	}

	static String describe(JacksonException ex) {
		Matcher duplicate = DUPLICATE.matcher(String.valueOf(ex.getOriginalMessage()));
		if (duplicate.find()) {
			return "The key \"" + duplicate.group(1) + "\" appears twice" + at(ex) + "; give each key once";
		}
		String path = path(ex);
		if (ex instanceof MismatchedInputException mismatch && !path.isEmpty()) {
			return "\"" + path + "\" must be " + kind(mismatch.getTargetType());
		}
		return "The body is not valid JSON" + where(ex.getLocation());
	}

	/** {@code a.b[2].c} from the keys and indexes Jackson was in. */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String at(JacksonException ex) {
		String path = path(ex);
		return path.isEmpty() ? "" : " in \"" + path + "\"";
	}

	private static String kind(Class<?> type) {
		if (type == null) {
			return "of another kind";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		return "of another kind";
	}

	private static String where(TokenStreamLocation location) {
		return (location == null || location.getLineNr() < 1) ? ""
				: " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

}
