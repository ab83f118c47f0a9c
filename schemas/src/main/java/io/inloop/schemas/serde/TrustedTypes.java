package io.inloop.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/** Lets Avro instantiate Inloop's generated classes, which its class validator refuses by default. */
public final class TrustedTypes {

	private static final String PACKAGE = "io.inloop.schemas.";

	private static boolean registered;

	private TrustedTypes() {
	}

	public static synchronized void register() {
		if (!registered) {
			ClassSecurityPredicate ours = (type) -> type.getName().startsWith(PACKAGE);
			ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
			registered = true;
		}
	}

}
