package io.inloop.api.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Submitting a job on a user's behalf (scope {@code jobs:submit-for}, docs/submitting-for-users.md).
 *
 * @param ownerPattern what a named owner must look like (a regular expression over the whole
 * value): the form of your identity provider's {@code sub}; the default takes any 1-255 characters
 * without spaces or control characters
 */
@ConfigurationProperties("inloop.api.submit-for")
record SubmitForSettings(@DefaultValue(SubmitForSettings.ANY_USER_ID) String ownerPattern) {

	static final String ANY_USER_ID = "[^\\s\\p{Cntrl}]{1,255}";

}
