// The built files as the notifier serves them, in real Chromium: the classic scripts (esbuild IIFEs)
// set window.Inloop and nothing else; the ES modules set no global; both show toasts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { browserMissing, openBrowser } from './support/browser.mjs';
import { job, startServer, testToken } from './support/server.mjs';

const skip = browserMissing() || false;
const token = testToken('bob');
let server;
let browser;

const config = () => `<script>window.TEST_CONFIG = ${JSON.stringify({ url: server.url, token })};</script>`;

before(async () => {
	if (skip) {
		return;
	}
	server = await startServer({
		root: new URL('../', import.meta.url), user: 'bob', token,
		pages: {
			'/classic': () => Promise.resolve(`<!DOCTYPE html><meta charset="utf-8"><link rel="icon" href="data:,"><title>classic</title>
				<link rel="stylesheet" href="/dist/inloop-toasts.css">${config()}<body>
				<script src="/dist/classic/inloop.js"></script>
				<script src="/dist/classic/inloop-toasts.js"></script>
				<script>
					window.client = Inloop.connect({ url: TEST_CONFIG.url, token: TEST_CONFIG.token, storage: null });
					Inloop.showToasts(window.client);
				</script>`),
			'/module': () => Promise.resolve(`<!DOCTYPE html><meta charset="utf-8"><link rel="icon" href="data:,"><title>module</title>
				<link rel="stylesheet" href="/dist/inloop-toasts.css">${config()}<body>
				<script type="module">
					import { connect } from '/dist/inloop.js';
					import { showToasts } from '/dist/inloop-toasts.js';
					window.client = connect({ url: TEST_CONFIG.url, token: TEST_CONFIG.token, storage: null });
					showToasts(window.client);
				</script>`),
		},
	});
	browser = await openBrowser();
	server.publish(job('b1', 4, 'RUNNING', { progress: { done: 1, total: 2 }, message: 'Halfway' }));
});

after(async () => {
	await browser?.close();
	await server?.close();
});

test('classic scripts set window.Inloop only, and show a toast per job', { skip }, async () => {
	const page = await browser.page();
	await page.goto(server.url + '/classic');
	await page.waitForSelector('.inloop-toast[data-state="RUNNING"]');
	assert.deepEqual(await page.evaluate(() => Object.keys(window.Inloop).sort()),
		['InloopClient', 'InloopToasts', 'PROTOCOL', 'advances', 'connect', 'formatDuration', 'formatTime', 'isTerminal', 'showToasts']);
	assert.deepEqual(await page.evaluate(() => ['PROTOCOL', 'DEFAULTS', 'TEXT', 'connect', 'InloopClient'].filter((name) => name in window)), [],
		'nothing else leaks');
	assert.equal(await page.evaluate(() => window.Inloop.PROTOCOL.close.TOKEN_EXPIRED), 4001);
	assert.match(await page.locator('.inloop-toast').textContent(), /Halfway/);
	server.publish(job('b1', 6, 'SUCCEEDED', { progress: { done: 2, total: 2 } }));
	await page.waitForSelector('.inloop-toast[data-state="SUCCEEDED"]');
	assert.deepEqual(browser.errors, []);
	await page.close();
});

test('ES modules set no global, and show the same toasts', { skip }, async () => {
	server.publish(job('b2', 2, 'QUEUED'));
	const page = await browser.page();
	await page.goto(server.url + '/module');
	await page.waitForSelector('.inloop-toast[data-state="QUEUED"]');
	assert.equal(await page.evaluate(() => typeof window.Inloop), 'undefined');
	assert.equal(await page.evaluate(() => window.client.status), 'live');
	assert.deepEqual(browser.errors, []);
	await page.close();
});

test('a toast names its job by the end of its id, which differs between jobs of the same moment', { skip }, async () => {
	// Two UUIDv7s of the same millisecond: their first 8 hex digits are the same timestamp
	const first = '01a25287-c43e-78d2-a5a7-34c0bc5baeed';
	const second = '01a25287-c43e-7e11-9b0c-06db0146c5df';
	server.publish(job(first, 2, 'QUEUED'));
	server.publish(job(second, 2, 'QUEUED'));
	const page = await browser.page();
	await page.goto(server.url + '/module');
	await page.waitForSelector(`.inloop-toast[data-job-id="${second}"]`);
	const text = (id) => page.locator(`.inloop-toast[data-job-id="${id}"]`).textContent();
	assert.match(await text(first), /report\.export · bc5baeed/);
	assert.match(await text(second), /report\.export · 0146c5df/);
	assert.doesNotMatch(await text(first), /01a25287/);
	assert.deepEqual(browser.errors, []);
	await page.close();
});
