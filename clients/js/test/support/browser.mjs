// Debian's headless Chromium through playwright-core (which never downloads a browser of its own).
// Without Chromium the browser tests skip loudly; INLOOP_REQUIRE_BROWSER=1 (CI) makes that a failure.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.INLOOP_CHROMIUM || '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--disable-quic'];

/** Why the browser tests cannot run here, or null; throws when they must. */
export function browserMissing() {
	if (existsSync(CHROMIUM)) {
		return null;
	}
	const reason = 'no Chromium at ' + CHROMIUM + ' (apt-get install chromium)';
	if (process.env.INLOOP_REQUIRE_BROWSER === '1') {
		throw new Error(reason + ', and INLOOP_REQUIRE_BROWSER=1');
	}
	process.stderr.write('SKIPPED browser tests: ' + reason + '\n');
	return reason;
}

/** A fresh browser with its own profile; `close()` removes both. */
export async function openBrowser() {
	const profile = await mkdtemp(join(tmpdir(), 'inloop-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: FLAGS,
	});
	const errors = [];
	context.on('weberror', (error) => errors.push(String(error.error())));
	return {
		context,
		errors,
		async page() {
			const page = await context.newPage();
			page.on('console', (message) => {
				if (message.type() === 'error') {
					errors.push(message.text());
				}
			});
			return page;
		},
		async close() {
			await context.close();
			await rm(profile, { recursive: true, force: true });
		},
	};
}
