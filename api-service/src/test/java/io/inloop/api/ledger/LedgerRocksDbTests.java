package io.inloop.api.ledger;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each of the ledger's RocksDB stores keeps a bounded number of files open: the ledger's Streams
 * configuration names the setter and the bound, and the setter puts it on RocksDB's options
 * (RocksDB's own default, -1, keeps every table file open as the state grows).
 */
@SpringBootTest(properties = "inloop.ledger.max-open-files-per-store=24")
@ActiveProfiles("test")
class LedgerRocksDbTests {

	@Autowired
	private KafkaStreamsConfiguration streams;

	@Test
	void theLedgersStoresOpenAtMostTheConfiguredFilesEach() {
		Map<String, Object> config = this.streams.asProperties()
			.entrySet()
			.stream()
			.collect(java.util.stream.Collectors.toMap((entry) -> entry.getKey().toString(), Map.Entry::getValue));
		assertThat(config).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, LedgerRocksDb.class);

		try (Options options = new Options()) {
			assertThat(options.maxOpenFiles()).as("RocksDB's default").isEqualTo(-1);
			new LedgerRocksDb().setConfig("ledger", options, config);
			assertThat(options.maxOpenFiles()).isEqualTo(24);
		}
	}

}
