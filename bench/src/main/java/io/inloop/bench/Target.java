package io.inloop.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.inloop.bench.client.SocketDialect;
import io.inloop.bench.processes.StackLayout;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What the bench measures: Inloop, or a peer it is compared with in the same sitting. */
public enum Target {

	INLOOP(null, StackLayout.INLOOP, SocketDialect.INLOOP, "http://localhost:8080", "ws://localhost:8090/ws",
			new Start(List.of("./inloop", "start", "--quiet", "--data-dir"), "Inloop is ready",
					List.of(9092, 9093, 8080, 8070, 8090), List.of(URI.create("http://127.0.0.1:8080/actuator/health/readiness"),
							URI.create("http://127.0.0.1:8070/actuator/health/readiness"),
							URI.create("http://127.0.0.1:8090/actuator/health/readiness")))),

	/** BullMQ + Socket.IO ({@code bench/peers/bullmq}). */
	SOCKETIO("socketio", StackLayout.BULLMQ_PEER, SocketDialect.SOCKET_IO, "http://localhost:3100",
			"ws://localhost:3100/socket.io/?EIO=4&transport=websocket",
			new Start(List.of("bench/peers/bullmq/run.sh"), "BullMQ peer is ready", List.of(3100, 6390),
					List.of(URI.create("http://127.0.0.1:3100/health"))));

	private final @Nullable String peerName;

	private final StackLayout layout;

	private final SocketDialect dialect;

	private final URI api;

	private final URI webSocket;

	private final Start start;

	Target(@Nullable String peerName, StackLayout layout, SocketDialect dialect, String api, String webSocket, Start start) {
		this.start = start;
		this.peerName = peerName;
		this.layout = layout;
		this.dialect = dialect;
		this.api = URI.create(api);
		this.webSocket = URI.create(webSocket);
	}

	/** The {@code --peer} value, or null for Inloop itself. */
	public @Nullable String peerName() {
		return this.peerName;
	}

	public StackLayout layout() {
		return this.layout;
	}

	public SocketDialect dialect() {
		return this.dialect;
	}

	/** Where its API listens when {@code --api} is not given. */
	public URI api() {
		return this.api;
	}

	/** Where its WebSocket listens when {@code --ws} is not given. */
	public URI webSocket() {
		return this.webSocket;
	}

	/** How to start it from the repository root, for {@code ready}. */
	public Start start() {
		return this.start;
	}

	/**
	 * How a system is started from the repository root and known to be ready.
	 *
	 * @param command the command; a data directory is appended when it ends with {@code --data-dir}
	 * @param readyLine what it prints once ready
	 * @param ports the ports it listens on, which must be free before it starts
	 * @param readiness URLs that answer 200 once each part is ready
	 */
	public record Start(List<String> command, String readyLine, List<Integer> ports, List<URI> readiness) {

		/** The command for a start with its data under {@code dataDir}. */
		public List<String> commandFor(Path dataDir) {
			if (!this.command.isEmpty() && this.command.get(this.command.size() - 1).equals("--data-dir")) {
				return Stream.concat(this.command.stream(), Stream.of(dataDir.resolve("kafka").toString()))
					.toList();
			}
			return this.command;
		}

	}

	/** {@code --peer socketio}. */
	static final class PeerConverter implements ITypeConverter<Target> {

		@Override
		public Target convert(String value) {
			for (Target target : values()) {
				if (value.equals(target.peerName)) {
					return target;
				}
			}
			throw new TypeConversionException("unknown peer '" + value + "': expected socketio (BullMQ + Socket.IO)");
		}

	}

}
