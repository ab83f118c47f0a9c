// Entry of the classic script `/inloop.js` (`<script src>`, no module): bundled by esbuild into an
// IIFE that adds the client to `window.Inloop` and leaks nothing else.
import * as inloop from '../inloop.js';

globalThis.Inloop = Object.assign(globalThis.Inloop || {}, inloop);
