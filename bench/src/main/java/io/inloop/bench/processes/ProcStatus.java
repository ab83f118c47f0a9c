package io.inloop.bench.processes;

import org.jspecify.annotations.Nullable;

/**
 * What the bench reads of {@code /proc/<pid>/status}.
 *
 * @param rssBytes resident memory ({@code VmRSS}), or null if absent (a zombie)
 * @param threads the process's threads ({@code Threads}), or -1 if absent
 */
public record ProcStatus(@Nullable Long rssBytes, int threads) {

	public static ProcStatus parse(String status) {
		Long rss = null;
		int threads = -1;
		for (String line : status.split("\n")) {
			if (line.startsWith("VmRSS:")) {
				rss = number(line) * 1024;
			}
			else if (line.startsWith("Threads:")) {
				threads = (int) number(line);
			}
		}
		return new ProcStatus(rss, threads);
	}

	private static long number(String line) {
		String digits = line.replaceAll("[^0-9]", "");
		return digits.isEmpty() ? 0 : Long.parseLong(digits);
	}

}
