package io.inloop.schemas.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The released versions of each record's schema, kept under
 * {@code io/inloop/schemas/history/<Record>/} with an {@code index} file naming them in release
 * order. A reader knows every one of them by fingerprint, so old records stay readable.
 */
public final class SchemaHistory {

	private static final String ROOT = "io/inloop/schemas/history/";

	private SchemaHistory() {
	}

	/** The released writer schemas of {@code type}, oldest first. */
	public static List<Schema> released(Class<?> type) {
		String name = SpecificData.get().getSchema(type).getName();
		List<Schema> schemas = new ArrayList<>();
		ClassLoader loader = SchemaHistory.class.getClassLoader();
		for (String file : indexOf(loader, name)) {
			schemas.add(parse(loader, ROOT + name + "/" + file));
		}
		return Collections.unmodifiableList(schemas);
	}

	private static List<String> indexOf(ClassLoader loader, String name) {
		List<String> files = new ArrayList<>();
		try {
			Enumeration<URL> indexes = loader.getResources(ROOT + name + "/index");
			while (indexes.hasMoreElements()) {
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(indexes.nextElement().openStream(), StandardCharsets.UTF_8))) {
					reader.lines().map(String::strip).filter((line) -> !line.isEmpty() && !line.startsWith("#"))
						.forEach(files::add);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	private static Schema parse(ClassLoader loader, String resource) {
		try (InputStream in = loader.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Schema history names " + resource + " but it is missing");
			}
			return new Schema.Parser().parse(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
