package io.inloop.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the bench's SVG charts share: round axis ends, numbers as labels, text made safe, the file written. */
public final class Svg {

	private Svg() {
	}

	/** A round number at least {@code value}, at most a half again as much. */
	public static double niceCeiling(double value) {
		if (value <= 0) {
			return 1;
		}
		double power = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 }) {
			if (step * power >= value) {
				return step * power;
			}
		}
		return 10 * power;
	}

	/** {@code value} with at most three decimals and no trailing zeros. */
	public static String trim(double value) {
		String text = String.format(Locale.ROOT, "%.3f", value);
		return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
	}

	public static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/** Writes {@code svg} to {@code file}, making its folder if needed. */
	public static void write(Path file, String svg) throws IOException {
		Path parent = file.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.writeString(file, svg, StandardCharsets.UTF_8);
	}

}
