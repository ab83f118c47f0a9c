#!/usr/bin/env node
// Reads Inloop's JSON mirror of the status topic (inloop.job-status.json) and prints each job's
// status as it changes. No Avro, no schema registry: every record value is the WebSocket's `job`
// frame, {"type":"job","cursor":"<p>-<o>","job":{...}} (docs/wire-format.md, docs/protocol.md).
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const TOPIC = 'inloop.job-status.json';

const usage = `Usage: node consumer.js [--brokers host:port,...] [--group id] [--from-beginning]
                        [--owner user] [--exit-after n]
  --brokers         Kafka bootstrap servers (default localhost:9092, or $KAFKA_BROKERS)
  --group           consumer group (default inloop-node-consumer)
  --from-beginning  read the retained history first (a new group only), not just what comes next
  --owner           print only this user's jobs
  --exit-after      stop after printing this many status changes`;

/** One line per status change: owner, job, state, progress, message, error. */
function describe(job) {
  const progress = job.progress.total > 0 ? ` ${job.progress.done}/${job.progress.total}` : '';
  const message = job.message != null ? ` "${job.message}"` : '';
  const error = job.error ? ` error=${job.error.code}${job.error.retryable ? ' (retryable)' : ''}` : '';
  return `${job.owner} ${job.id} ${job.state}${progress}${message}${error}`;
}

/**
 * The latest version shown per job: a frame that does not advance its job is ignored, the rule
 * every Inloop client applies (version = attempt << 32 | sequence << 1 | report).
 */
class JobStatuses {
  #versions = new Map();

  /** True if `job` is news: a higher version than the last one seen for its id. */
  advance(job) {
    const last = this.#versions.get(job.id);
    if (last !== undefined && job.version <= last) {
      return false;
    }
    this.#versions.set(job.id, job.version);
    return true;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? 'localhost:9092' },
      group: { type: 'string', default: 'inloop-node-consumer' },
      'from-beginning': { type: 'boolean', default: false },
      owner: { type: 'string' },
      'exit-after': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const exitAfter = values['exit-after'] !== undefined ? Number.parseInt(values['exit-after'], 10) : Infinity;
  const kafka = new Kafka({
    clientId: 'inloop-node-consumer',
    brokers: values.brokers.split(','),
    logLevel: logLevel.WARN,
    // Logs go to stderr: stdout carries only the statuses.
    logCreator: () => ({ level, log }) => console.error(`[kafkajs] ${log.message}`),
  });
  // kafkajs reads committed records only (readUncommitted: false): the mirror writes in transactions.
  const consumer = kafka.consumer({ groupId: values.group });
  const statuses = new JobStatuses();
  let printed = 0;
  let stopping;
  const stop = () => (stopping ??= consumer.disconnect());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: values['from-beginning'] });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (printed >= exitAfter || message.value === null) {
        return;
      }
      const frame = JSON.parse(message.value.toString('utf8'));
      // Frames of a type this consumer does not know are skipped (later releases may add some).
      if (frame.type !== 'job' || (values.owner !== undefined && frame.job.owner !== values.owner)) {
        return;
      }
      if (!statuses.advance(frame.job)) {
        return;
      }
      console.log(describe(frame.job));
      printed++;
      if (printed >= exitAfter) {
        setImmediate(stop);
      }
    },
  });
  await new Promise((resolve) => consumer.on(consumer.events.DISCONNECT, resolve));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
