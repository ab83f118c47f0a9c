// Entry of the classic script `/inloop-toasts.js`: adds the toasts to `window.Inloop`.
import * as toasts from '../inloop-toasts.js';

globalThis.Inloop = Object.assign(globalThis.Inloop || {}, toasts);
