package io.inloop.cli.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time on the command line: an ISO-8601 instant ({@code 2026-11-27T10:15:30Z}, an
 * offset is allowed), a UTC date ({@code 2026-11-27}), a time before now ({@code -30m},
 * {@code -2h}, {@code -7d}), or {@code now}.
 */
final class TimeArgument implements ITypeConverter<Instant> {

	private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})([smhdw])");

	private final Clock clock;

	TimeArgument() {
		this(Clock.systemUTC());
	}

	TimeArgument(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Instant convert(String value) {
		String text = value.trim();
		if (text.equalsIgnoreCase("now")) {
			return this.clock.instant();
		}
		Matcher relative = RELATIVE.matcher(text);
		if (relative.matches()) {
			return this.clock.instant().minus(duration(Long.parseLong(relative.group(1)), relative.group(2).charAt(0)));
		}
		try {
			return (text.length() == 10) ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
					: Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new TypeConversionException("'" + value + "' is not a time: use an ISO-8601 instant "
					+ "(2026-11-27T10:15:30Z), a date (2026-11-27), a time before now (-30m, -2h, -7d) or now");
		}
	}

	private static Duration duration(long amount, char unit) {
		return switch (unit) {
			case 's' -> Duration.ofSeconds(amount);
			case 'm' -> Duration.ofMinutes(amount);
			case 'h' -> Duration.ofHours(amount);
			case 'd' -> Duration.ofDays(amount);
			default -> Duration.ofDays(7 * amount);
		};
	}

}
