// The React hooks in real Chromium: a small React app (test/fixtures/react-app.jsx, StrictMode)
// against a WebSocket server speaking the notifier's protocol.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { browserMissing, openBrowser } from './support/browser.mjs';
import { job, startServer, testToken } from './support/server.mjs';

const skip = browserMissing() || false;
const token = testToken('alice');
let server;
let browser;
let page;

before(async () => {
	if (skip) {
		return;
	}
	const app = await build({
		entryPoints: [new URL('./fixtures/react-app.jsx', import.meta.url).pathname],
		bundle: true, write: false, format: 'esm', jsx: 'automatic', target: 'es2020',
		define: { 'process.env.NODE_ENV': '"development"' }, logLevel: 'warning',
	});
	server = await startServer({
		root: new URL('../', import.meta.url), user: 'alice', token,
		pages: {
			'/app.js': app.outputFiles[0].text,
			'/': () => Promise.resolve(`<!DOCTYPE html><meta charset="utf-8"><link rel="icon" href="data:,"><title>hooks</title>
				<script>window.TEST_CONFIG = ${JSON.stringify({ url: server.url, token, watch: 'j1' })};</script>
				<div id="root"></div><script type="module" src="/app.js"></script>`),
		},
	});
	browser = await openBrowser();
});

after(async () => {
	await browser?.close();
	await server?.close();
});

const text = (testid) => page.locator(`[data-testid="${testid}"]`).textContent();

test('useInloopJobs shows the snapshot and goes live; useInloopJob follows one job to its failure', { skip }, async () => {
	server.publish(job('j1', 2, 'QUEUED', { submittedAt: '2026-01-01T00:00:01Z' }));
	server.publish(job('j0', 8, 'SUCCEEDED', { submittedAt: '2026-01-01T00:00:00Z', progress: { done: 3, total: 3 } }));
	page = await browser.page();
	await page.goto(server.url + '/');

	await page.waitForSelector('[data-testid="status"][data-status="live"]');
	await page.waitForSelector('[data-testid="watched"][data-state="QUEUED"]');
	assert.deepEqual(await page.locator('[data-testid="jobs"] li').evaluateAll((items) => items.map((li) => li.dataset.testid)),
		['job-j1', 'job-j0'], 'newest submission first');
	assert.equal(await text('job-j0'), 'SUCCEEDED 100% ');
	assert.equal(await text('watched-progress'), '0/0 null%');

	server.publish(job('j1', 4, 'RUNNING', { progress: { done: 1, total: 4 }, message: 'Reading rows', submittedAt: '2026-01-01T00:00:01Z' }));
	await page.waitForSelector('[data-testid="watched"][data-state="RUNNING"]');
	assert.equal(await text('watched-progress'), '1/4 25%');
	assert.equal(await text('watched-message'), 'Reading rows');
	assert.equal(await text('job-j1'), 'RUNNING 25% Reading rows');

	// A stale snapshot (lower version) is dropped by the client: nothing changes.
	server.publish(job('j1', 3, 'QUEUED', { submittedAt: '2026-01-01T00:00:01Z' }));
	server.publish(job('j1', 6, 'FAILED', {
		progress: { done: 2, total: 4 }, submittedAt: '2026-01-01T00:00:01Z',
		error: { code: 'disk-full', message: 'Out of disk', retryable: false },
	}));
	await page.waitForSelector('[data-testid="watched"][data-state="FAILED"][data-finished="true"]');
	assert.equal(await text('watched-error'), 'disk-full: Out of disk');
	assert.equal(await text('watched-progress'), '2/4 50%');
	assert.equal(await page.locator('[data-testid="watched"]').getAttribute('data-status'), 'live');
	assert.deepEqual(browser.errors, []);
});

test('the connection status goes through reconnecting and back to live, missing nothing', { skip }, async () => {
	await page.waitForFunction(() => window.statuses.at(-1) === 'live');
	const before = await page.evaluate(() => window.statuses.length);
	server.drop(1013, 'try again later');
	// Published while the page is disconnected: it comes with the resume (?since=<cursor>).
	server.publish(job('j2', 2, 'RUNNING', { progress: { done: 0, total: 0 }, message: 'Warming up', submittedAt: '2026-01-01T00:00:02Z' }));
	await page.waitForSelector('[data-testid="job-j2"][data-state="RUNNING"]');
	await page.waitForSelector('[data-testid="status"][data-status="live"]');
	const statuses = await page.evaluate((from) => window.statuses.slice(from), before);
	assert.ok(statuses.includes('reconnecting'), 'seen: ' + statuses.join(', '));
	assert.equal(statuses.at(-1), 'live');
	assert.equal(await text('job-j2'), 'RUNNING … Warming up');
	assert.equal(await text('connection-error'), '', 'cleared once live again');
	assert.ok(server.requests.some((path) => /^\/ws\?since=0-\d+$/.test(path)), 'resumed by cursor: ' + server.requests.join(' '));
});

test('StrictMode mounts twice: the provider closes the first client, one connection stays', { skip }, async () => {
	assert.equal(server.connections, 1);
});
