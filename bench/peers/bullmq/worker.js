// The peer's worker, a process of its own as production apps run it: demo.steps runs N steps, each
// reported with job.updateProgress.
import { Worker } from 'bullmq';

const connection = { host: '127.0.0.1', port: Number(process.env.PEER_REDIS_PORT ?? 6390) };
// As many jobs at once as Inloop's worker has job slots.
const concurrency = Number(process.env.PEER_CONCURRENCY ?? 32);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const worker = new Worker(
  'jobs',
  async (job) => {
    if (job.name !== 'demo.steps') {
      throw new Error(`unknown job type ${job.name}`);
    }
    const steps = job.data.payload.steps ?? 10;
    const delayMs = job.data.payload.delayMs ?? 0;
    for (let step = 1; step <= steps; step++) {
      if (delayMs > 0) {
        await sleep(delayMs);
      }
      await job.updateProgress({ done: step, total: steps });
    }
    return { steps };
  },
  { connection, concurrency },
);

worker.on('failed', (job, err) => console.error(`job ${job?.id} failed: ${err.message}`));
worker.on('ready', () => console.log(`worker ready, concurrency ${concurrency}`));

async function shutdown() {
  await worker.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
