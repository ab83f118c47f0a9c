package io.inloop.api.mirror;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The mirror's Kafka Streams application, started and stopped with api-service. Its streams are
 * not a {@link StreamsBuilderFactoryBean} bean of their own: the ledger's is the one that other
 * beans get by type.
 */
final class StatusMirror implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(StatusMirror.class);

	private final StreamsBuilderFactoryBean streams;

	StatusMirror(KafkaStreamsConfiguration configuration, StatusMirrorTopology topology,
			@Nullable KafkaStreamsMicrometerListener metrics) {
		this.streams = new StreamsBuilderFactoryBean(configuration);
		this.streams.setBeanName("statusMirror");
		this.streams.setInfrastructureCustomizer(topology);
		// KafkaStreams.close(CloseOptions) with LEAVE_GROUP: another instance takes the partitions over at once.
		this.streams.setLeaveGroupOnClose(true);
		// A failure (or a hold at a newer schema) must not end the mirror for good; its transaction is aborted.
		this.streams.setStreamsUncaughtExceptionHandler((ex) -> {
			logger.warn("Status mirror stream thread failed; replacing it", ex);
			return StreamThreadExceptionResponse.REPLACE_THREAD;
		});
		if (metrics != null) {
			this.streams.addListener(metrics);
		}
		try {
			this.streams.afterPropertiesSet();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot set up the status mirror", ex);
		}
		// Builds the topology, as the container would for a bean.
		this.streams.afterSingletonsInstantiated();
	}

	/** The mirror's state, {@code null} before it started. */
	KafkaStreams.@Nullable State state() {
		KafkaStreams kafkaStreams = this.streams.getKafkaStreams();
		return (kafkaStreams != null) ? kafkaStreams.state() : null;
	}

	@Override
	public void start() {
		this.streams.start();
	}

	@Override
	public void stop() {
		this.streams.stop();
	}

	@Override
	public boolean isRunning() {
		return this.streams.isRunning();
	}

	@Override
	public int getPhase() {
		return this.streams.getPhase();
	}

}
