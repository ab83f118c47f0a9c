// Bundles the React test app (test/fixtures/react-app.jsx, with React and the built package) into
// one classic script, target/test-pages/react-app.js, for system-tests' ReactHooksIT, which injects
// it into a page of the real notifier. Not part of the package. `npm run build:test-page`.
import { build } from 'esbuild';

await build({
	entryPoints: ['test/fixtures/react-app.jsx'],
	outfile: 'target/test-pages/react-app.js',
	bundle: true, format: 'iife', jsx: 'automatic', target: 'es2020', charset: 'utf8', logLevel: 'warning',
	define: { 'process.env.NODE_ENV': '"development"' },
});
