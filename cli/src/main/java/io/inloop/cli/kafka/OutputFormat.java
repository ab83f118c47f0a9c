package io.inloop.cli.kafka;

/** How the tools print what they read. */
public enum OutputFormat {

	/** One JSON object per line: for jq, scripts and other services. */
	NDJSON,

	/** Aligned columns for people. */
	TABLE

}
