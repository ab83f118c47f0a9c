package io.inloop.cli;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar's manifest, or "development" when run from classes. */
final class InloopVersion implements IVersionProvider {

	@Override
	public String[] getVersion() {
		String version = InloopVersion.class.getPackage().getImplementationVersion();
		return new String[] { "inloop " + ((version != null) ? version : "development") };
	}

}
