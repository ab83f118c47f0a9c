package io.inloop.worker.execution;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.inloop.worker.handler.JobHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The handler beans, by the job type they run. */
@Component
class JobHandlers {

	private final Map<String, JobHandler<?>> byType;

	JobHandlers(ObjectProvider<JobHandler<?>> handlers) {
		this.byType = handlers.orderedStream().collect(Collectors.toUnmodifiableMap(JobHandler::type, Function.identity(),
				(first, second) -> {
					throw new IllegalStateException("Job type '" + first.type() + "' has two handlers: "
							+ first.getClass().getName() + " and " + second.getClass().getName());
				}));
	}

	@Nullable JobHandler<?> forType(String type) {
		return this.byType.get(type);
	}

}
