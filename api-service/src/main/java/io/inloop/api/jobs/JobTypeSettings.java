package io.inloop.api.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The job types this API accepts, with their defaults; anything else is refused with 400 before
 * it reaches a worker.
 *
 * @param jobTypes one entry per type a worker has a handler for
 */
@ConfigurationProperties("inloop.api")
public record JobTypeSettings(List<JobType> jobTypes) {

	Optional<JobType> find(String type) {
		return this.jobTypes.stream().filter((candidate) -> candidate.name().equals(type)).findFirst();
	}

	List<String> names() {
		return this.jobTypes.stream().map(JobType::name).sorted().toList();
	}

	/**
	 * @param name the type a {@code JobHandler} is registered for, e.g. {@code demo.steps}
	 * @param maxAttempts attempts unless the request says otherwise
	 * @param timeout how long one attempt may run unless the request says otherwise
	 */
	public record JobType(String name, @DefaultValue("3") int maxAttempts, @DefaultValue("10m") Duration timeout) {
	}

}
