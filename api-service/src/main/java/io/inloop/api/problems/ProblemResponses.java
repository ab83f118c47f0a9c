package io.inloop.api.problems;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint may answer with, for its OpenAPI operation (the API reference lists
 * each with its status, type and an example); {@link ApiProblem#OVERLOADED} and
 * {@link ApiProblem#INTERNAL_ERROR} go without saying.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ProblemResponses {

	ApiProblem[] value();

}
