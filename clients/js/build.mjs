// Builds dist/ from src/ with esbuild: the ES modules of the package (`.`, `./toasts`, `./react`),
// their types and CSS, and the classic scripts (IIFEs that set window.Inloop) the notifier serves
// to `<script src>`. One source for all of them; `npm run build`.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';

const dist = new URL('./dist/', import.meta.url);
const { version } = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
const banner = { js: '// @inloop/client ' + version + ' (built from clients/js/src by esbuild). Guide: docs/browser-client.md' };
const common = { bundle: true, target: 'es2020', charset: 'utf8', legalComments: 'inline', banner, logLevel: 'warning' };

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
	...common,
	entryPoints: ['src/inloop.js', 'src/inloop-toasts.js', 'src/react.js'],
	outdir: 'dist',
	format: 'esm',
	// The hooks use the package's own client module, not a second copy of it; react is the app's.
	external: ['react', './inloop.js'],
});

await build({
	...common,
	entryPoints: ['src/classic/inloop.js', 'src/classic/inloop-toasts.js'],
	outdir: 'dist/classic',
	format: 'iife',
});

for (const file of ['inloop.d.ts', 'inloop-toasts.d.ts', 'react.d.ts', 'inloop-toasts.css']) {
	await cp(new URL('./src/' + file, import.meta.url), new URL(file, dist));
}
