// `npm pack`, install the tarball into a fresh project, type-check a TypeScript consumer of all
// three entries with tsc --noEmit (nodenext and bundler resolution), and import them in Node.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8'));
const locked = (name) => name + '@' + lock.packages['node_modules/' + name].version;
let work;
let project;
let packed;

before(async () => {
	work = await mkdtemp(join(tmpdir(), 'inloop-pack-'));
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
	packed = JSON.parse(stdout.slice(stdout.indexOf('[')))[0];
	project = join(work, 'consumer');
	await cp(join(root, 'test', 'fixtures', 'consumer'), project, { recursive: true });
	await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
	// The versions the package's own lockfile has, so the cache that `npm ci` filled answers.
	await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts',
		join(work, packed.filename), locked('react'), locked('@types/react')], { cwd: project });
});

after(async () => {
	await rm(work, { recursive: true, force: true });
});

test('the tarball holds the built files and the manifest, no sources or tests', () => {
	assert.equal(packed.name, '@inloop/client');
	assert.deepEqual(packed.files.map((file) => file.path).sort(), [
		'dist/classic/inloop-toasts.js', 'dist/classic/inloop.js', 'dist/inloop-toasts.css', 'dist/inloop-toasts.d.ts',
		'dist/inloop-toasts.js', 'dist/inloop.d.ts', 'dist/inloop.js', 'dist/react.d.ts', 'dist/react.js', 'package.json',
	]);
});

for (const resolution of ['nodenext', 'bundler']) {
	test(`tsc --noEmit type-checks a consumer of all three entries (moduleResolution ${resolution})`, async () => {
		await tsconfig(resolution, ['consumer.tsx']);
		const result = await run(process.execPath, [tsc, '-p', project], { cwd: project }).catch((error) => error);
		assert.equal(result.code ?? 0, 0, String(result.stdout) + String(result.stderr));
	});
}

test('tsc rejects a wrong use: the types are real, not any', async () => {
	await tsconfig('nodenext', ['wrong.tsx']);
	const result = await run(process.execPath, [tsc, '-p', project], { cwd: project }).catch((error) => error);
	assert.notEqual(result.code ?? 0, 0);
	assert.match(result.stdout, /wrong\.tsx\(5,.*TS2345.*number.*not assignable/);
	assert.match(result.stdout, /wrong\.tsx\(6,.*carrier-pigeon/);
});

test('Node imports every entry of the installed package', async () => {
	const { stdout } = await run(process.execPath, ['run.mjs'], { cwd: project });
	assert.deepEqual(JSON.parse(stdout), {
		client: ['InloopClient', 'PROTOCOL', 'advances', 'connect', 'isTerminal'],
		toasts: ['InloopToasts', 'formatDuration', 'formatTime', 'showToasts'],
		react: ['InloopProvider', 'useInloopClient', 'useInloopJob', 'useInloopJobs'],
		terminal: true,
		css: true,
		classic: true,
	});
});

async function tsconfig(resolution, files) {
	await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
		compilerOptions: {
			strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', lib: ['dom', 'es2022'], jsx: 'react-jsx',
			module: resolution === 'bundler' ? 'esnext' : 'nodenext', moduleResolution: resolution, types: [],
		},
		files,
	}));
}
