package io.inloop.bench.processes;

import org.jspecify.annotations.Nullable;

/**
 * What the bench reads of one line of {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat}.
 *
 * @param id the process or thread id (field 1)
 * @param comm the command name (field 2): a thread's name, cut to 15 characters by the kernel
 * @param utimeTicks user time (field 14), in clock ticks
 * @param stimeTicks system time (field 15), in clock ticks
 */
public record ProcStat(long id, String comm, long utimeTicks, long stimeTicks) {

	/** Clock ticks per second of these times: USER_HZ, 100 on Linux everywhere that matters. */
	public static final int TICKS_PER_SECOND = 100;

	/** The line parsed, or null if it is not a stat line. */
	public static @Nullable ProcStat parse(String line) {
		// The name is in parentheses and may hold spaces and parentheses: fields are counted after the last ')'.
		int open = line.indexOf('(');
		int close = line.lastIndexOf(')');
		if (open < 1 || close < open) {
			return null;
		}
		String[] fields = line.substring(close + 1).trim().split("\\s+");
		// fields[0] is field 3 (state); utime and stime are fields 14 and 15.
		if (fields.length < 13) {
			return null;
		}
		try {
			return new ProcStat(Long.parseLong(line.substring(0, open).trim()), line.substring(open + 1, close),
					Long.parseLong(fields[11]), Long.parseLong(fields[12]));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	public long cpuTicks() {
		return this.utimeTicks + this.stimeTicks;
	}

	public static double ticksToMillis(long ticks) {
		return ticks * 1000.0 / TICKS_PER_SECOND;
	}

}
