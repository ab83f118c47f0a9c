package io.inloop.cli.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LogFollowerTests {

	@TempDir
	Path logs;

	@Test
	void followsALogThatIsRolledOverToANewFileAndReadsItsLastLinesAfterTheEnd() throws Exception {
		Path log = this.logs.resolve("worker-service.log");
		Files.writeString(log, "first\nsecond\n");
		List<String> lines = new CopyOnWriteArrayList<>();
		CountDownLatch end = new CountDownLatch(1);
		LogFollower follower = new LogFollower("worker-service", log,
				(wait) -> end.await(wait.toMillis(), TimeUnit.MILLISECONDS), lines::add);
		await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 2);

		// As Spring Boot's rolling file appender does: the file moves away, a new one takes its name.
		Files.writeString(log, "third\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		Files.move(log, this.logs.resolve("worker-service.log.2026-12-07.0"));
		Files.writeString(log, "fourth\n");
		await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 4);

		Files.writeString(log, "fifth\nunfinished", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		end.countDown();
		follower.awaitLastLines();
		assertThat(lines).containsExactly("first", "second", "third", "fourth", "fifth", "unfinished");
		assertThat(follower.tail(2)).containsExactly("fifth", "unfinished");
	}

}
