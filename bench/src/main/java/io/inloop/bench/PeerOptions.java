package io.inloop.bench;

import picocli.CommandLine.Option;

/** {@code --peer}: measure the peer instead of Inloop, with the same code. */
public final class PeerOptions {

	@Option(names = "--peer", paramLabel = "socketio", converter = Target.PeerConverter.class,
			description = "Measure a peer instead of Inloop: socketio is BullMQ + Socket.IO (bench/peers/bullmq/run.sh); "
					+ "--api and --ws then default to http://localhost:3100 and its Socket.IO endpoint.")
	public Target target = Target.INLOOP;

}
