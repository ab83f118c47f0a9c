package io.inloop.api.jobs;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The job types this API accepts; anything else is refused with 400 before it reaches a worker.
 *
 * @param jobTypes one entry per type a worker has a handler for
 */
@ConfigurationProperties("inloop.api")
public record JobTypeSettings(List<JobType> jobTypes) {

	boolean accepts(String type) {
		return this.jobTypes.stream().anyMatch((candidate) -> candidate.name().equals(type));
	}

	List<String> names() {
		return this.jobTypes.stream().map(JobType::name).sorted().toList();
	}

	/** @param name the type a {@code JobHandler} is registered for, e.g. {@code demo.steps} */
	public record JobType(String name) {
	}

}
