package io.inloop.cli.start;

import java.util.regex.Pattern;

/** Which lines of a service's output are repeated on the console (all of them go to its log file). */
enum ConsoleEcho {

	/** Nothing: the log files only. */
	NONE,

	/** Warnings, errors and the "Started" line: enough to notice trouble without noise. */
	PROBLEMS,

	/** Every line. */
	ALL;

	private static final Pattern NOTABLE = Pattern.compile("\\b(WARN|ERROR|FATAL)\\b|\\bStarted \\w+ in ");

	boolean shows(String line) {
		return switch (this) {
			case NONE -> false;
			case PROBLEMS -> NOTABLE.matcher(line).find();
			case ALL -> true;
		};
	}

}
