package io.inloop.worker.execution;

import io.inloop.worker.handler.JobHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Makes any Spring Boot app with {@link JobHandler} beans an Inloop worker: its job slots join the
 * workers' share group on {@code inloop.job-commands} and run each command with the handler of its
 * type, with the retries, heartbeats, timeouts, cancellation, health and metrics of
 * {@code worker-service}. Kafka is where {@code spring.kafka.*} says; {@code inloop.worker.*} tunes
 * the worker, {@code inloop.worker.enabled=false} turns it off.
 */
@AutoConfiguration(after = { KafkaAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "inloop.worker.enabled", matchIfMissing = true)
@ConditionalOnBean(JobHandler.class)
@EnableConfigurationProperties(WorkerSettings.class)
@Import({ ExecutionConfiguration.class, WorkerAdmin.class, JobHandlers.class, PayloadBinder.class, JobTracing.class,
		JobMetrics.class, JobStatusPublisher.class, Timers.class, Heartbeats.class, RetryBackOff.class,
		Cancellations.class, CancellationListener.class, JobRunner.class, Settlement.class, RetryScheduler.class,
		JobQueue.class, QueueLag.class, KafkaHealth.class, JobSlotsHealth.class, ControlReaderHealth.class })
public final class WorkerAutoConfiguration {

}
