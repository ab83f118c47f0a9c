// The peer's API and push server: POST /api/jobs adds a BullMQ job; QueueEvents relays every change of a
// job to its owner's Socket.IO room, in frames shaped like Inloop's (docs/protocol.md) so that the same bench
// code measures both.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Server } from 'socket.io';

const port = Number(process.env.PEER_PORT ?? 3100);
const connection = { host: '127.0.0.1', port: Number(process.env.PEER_REDIS_PORT ?? 6390) };

const queue = new Queue('jobs', { connection });
const queueEvents = new QueueEvents('jobs', { connection });

// Who each job belongs to, set before the job is added, so that its first event finds its room.
const jobs = new Map();

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) {
      send(res, 500, { error: 'internal error' });
    }
  });
});

async function handle(req, res) {
  if (req.method === 'GET' && req.url === '/health') {
    return send(res, 200, { status: 'UP' });
  }
  if (req.method === 'POST' && req.url === '/api/dev/tokens') {
    // No real auth in the peer: a token is the user's name.
    const body = await readJson(req);
    if (typeof body?.user !== 'string' || body.user === '') {
      return send(res, 400, { error: 'user is required' });
    }
    return send(res, 200, { token: body.user });
  }
  if (req.method === 'POST' && req.url === '/api/jobs') {
    const owner = bearer(req);
    if (owner == null) {
      return send(res, 401, { error: 'unauthorized' });
    }
    const body = await readJson(req);
    if (typeof body?.type !== 'string') {
      return send(res, 400, { error: 'type is required' });
    }
    const id = randomUUID();
    jobs.set(id, { owner, type: body.type });
    await queue.add(body.type, { owner, payload: body.payload ?? {} }, {
      jobId: id,
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 24 * 3600 },
    });
    res.setHeader('Location', `/api/jobs/${id}`);
    return send(res, 202, { id, state: 'QUEUED' });
  }
  send(res, 404, { error: 'not found' });
}

function bearer(req) {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') && header.length > 7 ? header.slice(7) : null;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      try {
        resolve(text === '' ? null : JSON.parse(text));
      } catch {
        resolve(null);
      }
    });
    req.on('error', reject);
  });
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const io = new Server(server);

io.use((socket, next) => {
  const user = socket.handshake.auth?.token;
  if (typeof user !== 'string' || user === '') {
    return next(new Error('unauthorized'));
  }
  socket.data.user = user;
  next();
});

io.on('connection', (socket) => {
  socket.join(`user:${socket.data.user}`);
});

// version = attempt << 32 | sequence << 1, as Inloop numbers a job's snapshots: QUEUED (0, 0), RUNNING (1, 0),
// each step (1, step), the end (1, steps + 1).
function push(jobId, state, attempt, sequence, extra = {}) {
  const frame = (known) => ({
    type: 'job',
    job: {
      id: jobId,
      owner: known.owner,
      type: known.type,
      state,
      attempt,
      version: attempt * 2 ** 32 + sequence * 2,
      updatedAt: new Date().toISOString(),
      ...extra,
    },
  });
  const known = jobs.get(jobId);
  if (known) {
    known.sequence = sequence;
    io.to(`user:${known.owner}`).emit('job', frame(known));
    return;
  }
  // A job this process did not add (e.g. before a restart): ask Redis whose it is.
  Job.fromId(queue, jobId).then((job) => {
    if (job) {
      io.to(`user:${job.data.owner}`).emit('job', frame({ owner: job.data.owner, type: job.name }));
    }
  });
}

queueEvents.on('waiting', ({ jobId }) => push(jobId, 'QUEUED', 0, 0));
queueEvents.on('active', ({ jobId }) => push(jobId, 'RUNNING', 1, 0));
queueEvents.on('progress', ({ jobId, data }) => push(jobId, 'RUNNING', 1, data.done, { progress: data }));
queueEvents.on('completed', ({ jobId, returnvalue }) => {
  push(jobId, 'SUCCEEDED', 1, returnvalue.steps + 1, { result: returnvalue });
  jobs.delete(jobId);
});
queueEvents.on('failed', ({ jobId, failedReason }) => {
  push(jobId, 'FAILED', 1, (jobs.get(jobId)?.sequence ?? 0) + 1, { error: { message: failedReason } });
  jobs.delete(jobId);
});

await queueEvents.waitUntilReady();
server.listen(port, '127.0.0.1', () => console.log(`server listening on http://127.0.0.1:${port}`));

async function shutdown() {
  io.close();
  await queueEvents.close();
  await queue.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
