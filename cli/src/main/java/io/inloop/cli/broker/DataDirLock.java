package io.inloop.cli.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * An exclusive lock on {@code <logDir>.lock}, next to the log directory, held while a broker runs
 * on it: two brokers on one folder would corrupt it, and Kafka's own lock is taken only after the
 * metadata log has been opened.
 */
final class DataDirLock {

	private final FileChannel channel;

	private final FileLock lock;

	private DataDirLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	static DataDirLock acquire(Path logDir) {
		Path file = logDir.toAbsolutePath().resolveSibling(logDir.getFileName() + ".lock");
		try {
			Files.createDirectories(file.getParent());
			FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = tryLock(channel);
			if (lock == null) {
				channel.close();
				throw new IllegalStateException(logDir + " is in use by another broker: is inloop already running?");
			}
			return new DataDirLock(channel, lock);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot lock " + file, ex);
		}
	}

	private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// Held by this JVM already.
			return null;
		}
	}

	void release() {
		try {
			this.lock.release();
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing the channel frees the lock in any case.
		}
	}

}
