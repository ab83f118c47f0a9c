/** api-service: takes jobs over HTTP and answers what they are doing. */
@NullMarked
package io.inloop.api;

import org.jspecify.annotations.NullMarked;
