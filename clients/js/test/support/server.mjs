// A small notifier for the package's own tests: HTTP for the pages and the built files, and the
// WebSocket protocol of docs/protocol.md (auth frame first, snapshot or resume by cursor, live,
// job frames, close codes) for one user's jobs. The real notifier is tested with these files in
// system-tests (DemoPageIT).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { WebSocketServer } from 'ws';

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.ts': 'text/plain' };

/** A JWT the client can read `sub` and `exp` from; this server checks it by equality, nothing more. */
export function testToken(user) {
	const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return [part({ alg: 'none' }), part({ sub: user, exp: Math.floor(Date.now() / 1000) + 3600 }), 'test'].join('.');
}

/**
 * @param {{ root: URL, user: string, token: string, pages?: Record<string, string | (() => Promise<string>)> }} options
 */
export async function startServer(options) {
	/** @type {{ cursor: string, job: object }[]} */
	const history = [];
	const latest = new Map();
	const sockets = new Set();
	const requests = [];
	const http = createServer(async (request, response) => {
		const url = new URL(request.url, 'http://localhost');
		requests.push(url.pathname + url.search);
		const page = options.pages && options.pages[url.pathname];
		try {
			if (page !== undefined) {
				const body = typeof page === 'function' ? await page() : page;
				response.writeHead(200, { 'Content-Type': TYPES[extname(url.pathname)] || 'text/html' });
				response.end(body);
				return;
			}
			if (url.pathname.startsWith('/dist/') && !url.pathname.includes('..')) {
				const body = await readFile(new URL('.' + url.pathname, options.root));
				response.writeHead(200, { 'Content-Type': TYPES[extname(url.pathname)] || 'application/octet-stream' });
				response.end(body);
				return;
			}
		}
		catch (error) {
			// Not found below.
		}
		response.writeHead(404, { 'Content-Type': 'text/plain' });
		response.end('not found');
	});
	const webSockets = new WebSocketServer({ noServer: true });
	http.on('upgrade', (request, socket, head) => {
		const url = new URL(request.url, 'http://localhost');
		requests.push(url.pathname + url.search);
		if (url.pathname !== '/ws') {
			socket.destroy();
			return;
		}
		webSockets.handleUpgrade(request, socket, head, (ws) => accept(ws, url.searchParams.get('since')));
	});

	function accept(ws, since) {
		ws.once('message', (data) => {
			let frame = null;
			try {
				frame = JSON.parse(String(data));
			}
			catch (ignored) {
				// Refused below.
			}
			if (!frame || frame.type !== 'auth' || frame.token !== options.token) {
				ws.close(4401, 'unauthorized');
				return;
			}
			if (since) {
				const from = history.findIndex((entry) => entry.cursor === since);
				if (from < 0) {
					ws.close(4000, 'bad cursor');
					return;
				}
				for (const entry of history.slice(from + 1)) {
					ws.send(JSON.stringify({ type: 'job', cursor: entry.cursor, job: entry.job }));
				}
			}
			else {
				ws.send(JSON.stringify({ type: 'snapshot', jobs: latest.size }));
				for (const entry of latest.values()) {
					ws.send(JSON.stringify({ type: 'job', cursor: entry.cursor, job: entry.job }));
				}
			}
			ws.send(JSON.stringify({ type: 'live' }));
			sockets.add(ws);
		});
		ws.on('close', () => sockets.delete(ws));
		ws.on('error', () => sockets.delete(ws));
	}

	await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
	const url = 'http://127.0.0.1:' + http.address().port;
	return {
		url,
		requests,
		/** Connections past their auth frame. */
		get connections() {
			return sockets.size;
		},
		/** Writes a snapshot of the user's job and sends it to every connection, as the notifier does. */
		publish(job) {
			const entry = { cursor: '0-' + history.length, job: Object.assign({ owner: options.user }, job) };
			history.push(entry);
			latest.set(job.id, entry);
			for (const ws of sockets) {
				ws.send(JSON.stringify({ type: 'job', cursor: entry.cursor, job: entry.job }));
			}
		},
		/** Closes every connection with `code`, as a notifier that goes away does. */
		drop(code, reason) {
			for (const ws of [...sockets]) {
				sockets.delete(ws);
				ws.close(code, reason);
			}
		},
		async close() {
			for (const ws of webSockets.clients) {
				ws.terminate();
			}
			await new Promise((resolve) => http.close(resolve));
		},
	};
}

/** A job snapshot with what the protocol always carries; `fields` win. */
export function job(id, version, state, fields) {
	const now = new Date().toISOString();
	return Object.assign({
		id, type: 'report.export', state, progress: { done: 0, total: 0 }, message: null, attempt: 1,
		version, submittedAt: now, updatedAt: now,
	}, fields);
}
