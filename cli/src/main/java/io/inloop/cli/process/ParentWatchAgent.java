package io.inloop.cli.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The agent jar holding {@link ParentWatch}, written once per JVM to a temporary file because the
 * class may itself sit inside a nested (Spring Boot) jar that {@code -javaagent} cannot read.
 */
final class ParentWatchAgent {

	private static final String CLASS_FILE = ParentWatch.class.getName().replace('.', '/') + ".class";

	private static Path jar;

	private ParentWatchAgent() {
	}

	/** The JVM option that makes a child exit when this JVM is gone. */
	static String javaOption() {
		return "-javaagent:" + jar() + "=" + ProcessHandle.current().pid();
	}

	private static synchronized Path jar() {
		if (jar == null) {
			jar = write();
		}
		return jar;
	}

	private static Path write() {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().putValue("Premain-Class", ParentWatch.class.getName());
		try {
			Path file = Files.createTempFile("inloop-parent-watch-", ".jar");
			file.toFile().deleteOnExit();
			try (OutputStream out = Files.newOutputStream(file);
					JarOutputStream jarOut = new JarOutputStream(out, manifest);
					InputStream classBytes = ParentWatch.class.getClassLoader().getResourceAsStream(CLASS_FILE)) {
				if (classBytes == null) {
					throw new IllegalStateException("Cannot read " + CLASS_FILE);
				}
				jarOut.putNextEntry(new JarEntry(CLASS_FILE));
				classBytes.transferTo(jarOut);
				jarOut.closeEntry();
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the parent-watch agent", ex);
		}
	}

}
