package io.inloop.worker.execution;

import org.junit.jupiter.api.Test;

import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the starter makes an app a worker. That it then runs jobs end to end is
 * {@code HostApplicationTests} (examples/host-app) and worker-service's tests.
 */
class WorkerAutoConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(KafkaAutoConfiguration.class, JacksonAutoConfiguration.class, WorkerAutoConfiguration.class));

	@Test
	void anAppWithoutHandlersIsNoWorker() {
		this.contexts.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(JobQueue.class)
			.doesNotHaveBean(WorkerSettings.class)
			.doesNotHaveBean(WorkerProducer.class));
	}

	@Test
	void aWorkerTurnedOffRunsNoHandlers() {
		this.contexts.withBean(EchoJobHandler.class)
			.withPropertyValues("inloop.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JobHandler.class).doesNotHaveBean(JobQueue.class));
	}

	@Test
	void theWorkerIsLoadedByItsAutoConfigurationImports() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
			.contains(WorkerAutoConfiguration.class.getName());
	}

	static final class EchoJobHandler implements JobHandler<String> {

		@Override
		public String type() {
			return "tests.echo";
		}

		@Override
		public Class<String> payloadType() {
			return String.class;
		}

		@Override
		public String handle(String payload, JobContext context) {
			return payload;
		}

	}

}
