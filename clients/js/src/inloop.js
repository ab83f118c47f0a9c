// Inloop browser client: one connection per page to notifier-service, every status change of the
// signed-in user's jobs. Plain ES2020, no dependencies. Published as `@inloop/client` (ES module,
// types in inloop.d.ts) and served by the notifier as `/inloop.js`, as a module and as a classic
// script that sets `window.Inloop` (both built by esbuild from this file: clients/js/build.mjs).
// Guide: docs/browser-client.md.

/**
 * Everything this client knows of the wire protocol (docs/protocol.md), in one place.
 * @type {import('./inloop').Protocol}
 */
export const PROTOCOL = Object.freeze({
	webSocketPath: '/ws',
	eventStreamPath: '/events',
	cursorParameter: 'since',
	// The token never goes into a URL: the WebSocket's first message carries it, SSE its Authorization header.
	authFrame: 'auth',
	frames: Object.freeze({ JOB: 'job', SNAPSHOT: 'snapshot', LIVE: 'live', CLOSED: 'closed' }),
	close: Object.freeze({
		NORMAL: 1000,
		GOING_AWAY: 1001,
		ABNORMAL: 1006,
		POLICY_VIOLATION: 1008,
		TRY_AGAIN_LATER: 1013,
		BAD_CURSOR: 4000,
		TOKEN_EXPIRED: 4001,
		TOO_SLOW: 4008,
		LIMIT_EXCEEDED: 4029,
		UNAUTHORIZED: 4401,
		AUTH_TIMEOUT: 4408,
	}),
	states: Object.freeze(['QUEUED', 'RUNNING', 'RETRYING', 'STALLED', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
	terminalStates: Object.freeze(['SUCCEEDED', 'FAILED', 'CANCELLED']),
});

const DEFAULTS = Object.freeze({
	transport: 'auto',
	backoff: Object.freeze({ initialMs: 500, maxMs: 10000, factor: 2 }),
	// A connection that stayed up this long resets the back-off.
	stableAfterMs: 5000,
	// Jobs remembered across reloads; finished ones are kept a while to drop their late duplicates.
	rememberJobs: 100,
	rememberFinishedMs: 10 * 60 * 1000,
	// A token this close to its `exp` is refreshed before connecting.
	tokenLeewayMs: 10000,
	storagePrefix: 'inloop:',
});

/** @param {string} state */
export function isTerminal(state) {
	return PROTOCOL.terminalStates.includes(state);
}

/**
 * The state machine of the server (JobLifecycle.move): a snapshot is accepted only when its
 * version is greater than the current one's, and never after a terminal state.
 * @param {import('./inloop').Job | undefined} current
 * @param {import('./inloop').Job} next
 */
export function advances(current, next) {
	if (!current) {
		return true;
	}
	if (isTerminal(current.state)) {
		return false;
	}
	return next.version > current.version;
}

/**
 * Opens a client: connects at once and keeps connected until `close()`.
 * @param {import('./inloop').ConnectOptions} options
 * @returns {import('./inloop').InloopClient}
 */
export function connect(options) {
	return new InloopClient(options);
}

export class InloopClient {

	/** @param {import('./inloop').ConnectOptions} options */
	constructor(options) {
		if (!options || (!options.token && typeof options.getToken !== 'function')) {
			throw new TypeError('Inloop.connect needs a token or a getToken function');
		}
		const base = new URL(options.url || globalThis.location.origin, globalThis.location && globalThis.location.href);
		/** @private */ this._http = base.origin.replace(/^ws/, 'http') + base.pathname.replace(/\/$/, '');
		/** @private */ this._options = options;
		/** @private */ this._backoff = Object.assign({}, DEFAULTS.backoff, options.backoff);
		/** @private */ this._token = options.token || null;
		/** @private @type {Map<string, Set<Function>>} */ this._listeners = new Map();
		/** @private @type {Map<string, import('./inloop').Job>} */ this._jobs = new Map();
		/** @private @type {Map<string, number>} */ this._seenAt = new Map();
		/** @private */ this._storage = options.storage === undefined ? sessionStorageOrNull() : options.storage;
		/** @private */ this._log = options.log || (options.debug ? (globalThis.__inloopLog = globalThis.__inloopLog || []) : null);
		/** @private */ this._cursor = null;
		/** @private */ this._failures = 0;
		/** @private */ this._tokenRefreshes = 0;
		/** @private */ this._closed = false;
		/** @private */ this._socket = null;
		/** @private */ this._events = null;
		/** @private */ this._timer = null;
		/** @private */ this._saveTimer = null;
		/** @private */ this._phase = 'snapshot';
		/** @private */ this._restored = false;
		/** @private @type {string | null} */ this._key = null;
		/** @type {'websocket' | 'sse'} */
		this.transport = options.transport === 'sse' ? 'sse' : 'websocket';
		/** @type {import('./inloop').ConnectionStatus} */
		this.status = 'connecting';
		/** @private */ this._onWake = () => { if (this._timer !== null) { this._retryNow(); } };
		/** @private */ this._onHide = () => this._save();
		if (globalThis.addEventListener) {
			globalThis.addEventListener('online', this._onWake);
			globalThis.addEventListener('pagehide', this._onHide);
		}
		// Listeners are registered right after connect(): restored jobs and the first frame reach them.
		Promise.resolve().then(() => this._open());
	}

	/** The wire protocol's constants, for companions such as the toasts. */
	get protocol() {
		return PROTOCOL;
	}

	/** The last cursor received, or null. */
	get cursor() {
		return this._cursor;
	}

	/**
	 * @param {string} type 'job' | 'status' | 'snapshot' | 'live' | 'error'
	 * @param {Function} listener
	 * @returns {() => void} removes the listener
	 */
	on(type, listener) {
		let set = this._listeners.get(type);
		if (!set) {
			set = new Set();
			this._listeners.set(type, set);
		}
		set.add(listener);
		return () => set.delete(listener);
	}

	/**
	 * Listens to one job; the latest known snapshot, if any, is delivered at once.
	 * @param {string} id
	 * @param {(job: import('./inloop').Job, info: import('./inloop').JobEventInfo) => void} listener
	 * @returns {() => void}
	 */
	onJob(id, listener) {
		const off = this.on('job:' + id, listener);
		const known = this._jobs.get(id);
		if (known) {
			Promise.resolve().then(() => listener(known, { source: 'known', previous: undefined }));
		}
		return off;
	}

	/** The latest snapshot known of a job. */
	job(id) {
		return this._jobs.get(id);
	}

	/** The latest snapshots known, newest submission first. */
	jobs() {
		return [...this._jobs.values()].sort((a, b) => (b.submittedAt || '').localeCompare(a.submittedAt || ''));
	}

	/**
	 * Feeds a snapshot obtained elsewhere (the response of `POST /api/jobs`, `GET /api/jobs/{id}`)
	 * through the same version rule, so the toast shows before the first frame arrives.
	 * @param {import('./inloop').Job} job
	 * @returns {boolean} whether it was news
	 */
	offer(job) {
		return this._accept(job, 'api');
	}

	/** Connects now instead of waiting for the back-off. */
	reconnect() {
		if (!this._closed) {
			this._retryNow();
		}
	}

	/** Closes for good; the cursor stays stored for the next page. */
	close() {
		if (this._closed) {
			return;
		}
		this._closed = true;
		clearTimeout(this._timer);
		this._timer = null;
		this._disconnect(PROTOCOL.close.NORMAL);
		this._save();
		if (globalThis.removeEventListener) {
			globalThis.removeEventListener('online', this._onWake);
			globalThis.removeEventListener('pagehide', this._onHide);
		}
		this._setStatus('closed');
	}

	// --- connection ---------------------------------------------------------------------------

	/** @private */
	async _open() {
		if (this._closed) {
			return;
		}
		this._setStatus(this.status === 'connecting' ? 'connecting' : 'reconnecting');
		let token;
		try {
			token = await this._currentToken();
		}
		catch (error) {
			this._emit('error', { kind: 'token', error });
			this._scheduleRetry();
			return;
		}
		if (this._closed) {
			return;
		}
		if (!this._restored) {
			// Only now: the storage key needs the user, whom the first token names.
			this._restored = true;
			this._restore();
			for (const job of this._jobs.values()) {
				if (!isTerminal(job.state)) {
					this._emitJob(job, 'restored');
				}
			}
		}
		this._phase = this._cursor ? 'catch-up' : 'snapshot';
		if (this.transport === 'sse') {
			this._openEventStream(token);
		}
		else {
			this._openWebSocket(token);
		}
	}

	/** @private */
	_openWebSocket(token) {
		const url = new URL(this._http + PROTOCOL.webSocketPath);
		url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
		this._query(url);
		let socket;
		try {
			socket = new WebSocket(url.toString());
		}
		catch (error) {
			this._fellBack(error);
			return;
		}
		this._socket = socket;
		let opened = false;
		let openedAt = 0;
		socket.onopen = () => {
			opened = true;
			openedAt = Date.now();
			socket.send(JSON.stringify({ type: PROTOCOL.authFrame, token }));
			this._trace({ kind: 'open', transport: 'websocket' });
			this._setStatus('open');
		};
		socket.onmessage = (message) => this._frame(message.data);
		socket.onclose = (event) => {
			if (this._socket !== socket) {
				return;
			}
			this._socket = null;
			this._trace({ kind: 'close', transport: 'websocket', code: event.code, reason: event.reason });
			if (opened) {
				this._closedBy(event.code, event.reason, Date.now() - openedAt);
			}
			else {
				this._handshakeFailed(token);
			}
		};
	}

	/**
	 * Server-Sent Events read with fetch, not EventSource, which cannot send the token in a header.
	 * @private
	 */
	_openEventStream(token) {
		const url = new URL(this._http + PROTOCOL.eventStreamPath);
		this._query(url);
		const abort = typeof AbortController === 'function' ? new AbortController() : null;
		const stream = { close: () => abort && abort.abort() };
		this._events = stream;
		let opened = false;
		let openedAt = 0;
		const current = () => this._events === stream;
		const ended = () => {
			if (!current()) {
				return;
			}
			this._events = null;
			this._trace({ kind: 'close', transport: 'sse' });
			this._closedBy(PROTOCOL.close.ABNORMAL, '', Date.now() - openedAt);
		};
		fetch(url.toString(), {
			headers: { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' },
			cache: 'no-store',
			signal: abort ? abort.signal : undefined,
		}).then(async (response) => {
			if (!current()) {
				return;
			}
			if (!response.ok || !response.body) {
				this._events = null;
				this._trace({ kind: 'close', transport: 'sse', status: response.status });
				this._refused(response.status, await problemOf(response));
				return;
			}
			opened = true;
			openedAt = Date.now();
			this._trace({ kind: 'open', transport: 'sse' });
			this._setStatus('open');
			const reader = response.body.getReader();
			const decoder = new TextDecoder();
			let buffered = '';
			for (;;) {
				const { value, done } = await reader.read();
				if (done || !current()) {
					break;
				}
				buffered += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
				let end;
				while ((end = buffered.indexOf('\n\n')) >= 0 && current()) {
					const data = eventData(buffered.slice(0, end));
					buffered = buffered.slice(end + 2);
					if (data !== null) {
						this._frame(data);
					}
				}
			}
			ended();
		}).catch(() => {
			if (!current()) {
				return;
			}
			if (opened) {
				ended();
			}
			else {
				this._events = null;
				this._trace({ kind: 'close', transport: 'sse' });
				this._refused(0);
			}
		});
	}

	/** @private */
	_query(url) {
		if (this._cursor) {
			url.searchParams.set(PROTOCOL.cursorParameter, this._cursor);
		}
	}

	/**
	 * The stream ended after it was open. Close codes: docs/protocol.md#closing.
	 * @private
	 */
	_closedBy(code, reason, upForMs) {
		if (this._closed) {
			return;
		}
		if (upForMs >= DEFAULTS.stableAfterMs) {
			this._failures = 0;
		}
		const codes = PROTOCOL.close;
		if (code === codes.TOKEN_EXPIRED || code === codes.UNAUTHORIZED || code === codes.POLICY_VIOLATION) {
			this._refreshToken();
			return;
		}
		if (code === codes.BAD_CURSOR) {
			this._forgetCursor();
		}
		if (code === codes.TOO_SLOW) {
			this._retryNow();
			return;
		}
		if (code === codes.LIMIT_EXCEEDED) {
			this._failures = Math.max(this._failures, 3);
		}
		this._emit('error', { kind: 'closed', code, reason });
		this._scheduleRetry();
	}

	/**
	 * The WebSocket never opened: it does not tell why, so one plain request (token in its header)
	 * asks. 401: a new token. 400: a bad cursor. Answered: the server is up, so WebSockets are
	 * blocked on the way (a proxy) and SSE takes over. No answer: the server is down; back off.
	 * @private
	 */
	async _handshakeFailed(token) {
		if (this._closed) {
			return;
		}
		const { status, problem } = await this._probe(token);
		this._trace({ kind: 'probe', transport: this.transport, status });
		this._refused(status, problem);
	}

	/**
	 * What to do about a stream refused with HTTP `status` (0: no answer) and its problem+json body,
	 * if any. 403 does not go away by retrying (an origin the notifier does not allow, a token
	 * without the access): the client reports it and stops.
	 * @private
	 */
	_refused(status, problem) {
		if (this._closed) {
			return;
		}
		if (status === 403) {
			const type = problem && typeof problem.type === 'string' ? problem.type : undefined;
			const reason = problem && typeof problem.detail === 'string' ? problem.detail : 'HTTP 403';
			this._emit('error', { kind: 'refused', status, type, reason });
			this.close();
			return;
		}
		if (status === 401) {
			this._refreshToken();
			return;
		}
		if (status === 400 && this._cursor) {
			// Not a cursor the server understands (SSE says so with 400): start afresh from snapshots.
			this._forgetCursor();
			this._retryNow();
			return;
		}
		const answered = status >= 200 && status < 300;
		if (answered && this.transport === 'websocket' && this._options.transport !== 'websocket') {
			this._fellBack(new Error('WebSocket handshake failed, HTTP ' + status));
			return;
		}
		if (status === 429) {
			this._failures = Math.max(this._failures, 3);
		}
		this._scheduleRetry();
	}

	/** @private */
	async _probe(token) {
		if (typeof fetch !== 'function' || typeof AbortController !== 'function') {
			return { status: 0, problem: null };
		}
		const abort = new AbortController();
		const timeout = setTimeout(() => abort.abort(), 5000);
		try {
			// The response headers are enough: the stream is dropped at once.
			const url = new URL(this._http + PROTOCOL.eventStreamPath);
			if (this._cursor) {
				url.searchParams.set(PROTOCOL.cursorParameter, this._cursor);
			}
			const response = await fetch(url.toString(), {
				headers: { Authorization: 'Bearer ' + token },
				cache: 'no-store',
				signal: abort.signal,
			});
			return { status: response.status, problem: response.ok ? null : await problemOf(response) };
		}
		catch (error) {
			return { status: 0, problem: null };
		}
		finally {
			clearTimeout(timeout);
			abort.abort();
		}
	}

	/** @private */
	_fellBack(error) {
		this.transport = 'sse';
		this._trace({ kind: 'fallback', transport: 'sse' });
		this._emit('error', { kind: 'fallback', error });
		this._retryNow();
	}

	/** @private */
	async _refreshToken() {
		if (typeof this._options.getToken !== 'function') {
			this._emit('error', { kind: 'token', error: new Error('The token expired and there is no getToken to renew it') });
			this.close();
			return;
		}
		this._token = null;
		this._tokenRefreshes++;
		// The first refresh reconnects at once; a token refused again and again backs off.
		if (this._tokenRefreshes <= 1) {
			this._retryNow();
		}
		else {
			this._scheduleRetry();
		}
	}

	/** @private */
	async _currentToken() {
		if (this._token && !expiresSoon(this._token)) {
			return this._token;
		}
		if (typeof this._options.getToken === 'function') {
			const token = await this._options.getToken();
			if (!token) {
				throw new Error('getToken returned no token');
			}
			this._token = String(token);
			this._trace({ kind: 'token' });
			return this._token;
		}
		return this._token;
	}

	/** @private */
	_scheduleRetry() {
		if (this._closed) {
			return;
		}
		clearTimeout(this._timer);
		const { initialMs, maxMs, factor } = this._backoff;
		const ceiling = Math.min(maxMs, initialMs * Math.pow(factor, this._failures));
		// Equal jitter: at least half the ceiling, so clients that lost the same server spread out.
		const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
		this._failures++;
		this._setStatus('reconnecting', { retryInMs: delay });
		this._trace({ kind: 'retry', inMs: delay });
		this._timer = setTimeout(() => {
			this._timer = null;
			this._open();
		}, delay);
	}

	/** @private */
	_retryNow() {
		clearTimeout(this._timer);
		this._timer = null;
		this._disconnect(PROTOCOL.close.NORMAL);
		this._open();
	}

	/** @private */
	_disconnect(code) {
		const socket = this._socket;
		this._socket = null;
		if (socket) {
			try {
				socket.close(code);
			}
			catch (ignored) {
				// already closing
			}
		}
		const events = this._events;
		this._events = null;
		if (events) {
			events.close();
		}
	}

	// --- frames -------------------------------------------------------------------------------

	/** @private */
	_frame(data) {
		let frame;
		try {
			frame = JSON.parse(data);
		}
		catch (error) {
			this._emit('error', { kind: 'frame', error });
			return;
		}
		const types = PROTOCOL.frames;
		switch (frame && frame.type) {
			case types.JOB:
				this._advanceCursor(frame.cursor);
				this._accept(frame.job, this._phase);
				break;
			case types.SNAPSHOT:
				this._phase = 'snapshot';
				this._emit('snapshot', { jobs: frame.jobs, recovered: frame.recovered });
				break;
			case types.LIVE:
				this._phase = 'live';
				this._tokenRefreshes = 0;
				this._setStatus('live');
				this._emit('live', {});
				break;
			case types.CLOSED:
				// SSE has no close codes: the server says why before it ends the stream.
				if (this._events) {
					this._events.close();
					this._events = null;
				}
				this._trace({ kind: 'close', transport: 'sse', code: frame.code, reason: frame.reason });
				this._closedBy(frame.code, frame.reason, Infinity);
				break;
			default:
				// Frames of a later protocol version: ignored, as docs/protocol.md asks.
		}
	}

	/** @private */
	_accept(job, source) {
		if (!job || typeof job.id !== 'string' || typeof job.version !== 'number') {
			return false;
		}
		const current = this._jobs.get(job.id);
		if (!advances(current, job)) {
			this._trace({ kind: 'drop', id: job.id, version: job.version, state: job.state, source });
			return false;
		}
		this._jobs.set(job.id, job);
		this._seenAt.set(job.id, Date.now());
		this._emitJob(job, source, current);
		this._saveSoon();
		return true;
	}

	/** @private */
	_emitJob(job, source, previous) {
		const progress = job.progress || { done: 0, total: 0 };
		this._trace({ kind: 'job', id: job.id, version: job.version, state: job.state, done: progress.done, total: progress.total, source });
		const info = { source, previous };
		this._emit('job', job, info);
		this._emit('job:' + job.id, job, info);
	}

	/** Cursors are "<partition>-<offset>"; a user's frames are in one partition, offsets only grow. @private */
	_advanceCursor(cursor) {
		const next = parseCursor(cursor);
		if (!next) {
			return;
		}
		const current = parseCursor(this._cursor);
		if (!current || current.partition !== next.partition || next.offset > current.offset) {
			this._cursor = cursor;
		}
	}

	/** @private */
	_forgetCursor() {
		this._cursor = null;
		this._save();
	}

	// --- events -------------------------------------------------------------------------------

	/** @private */
	_emit(type, ...args) {
		const set = this._listeners.get(type);
		if (!set) {
			return;
		}
		for (const listener of [...set]) {
			try {
				listener(...args);
			}
			catch (error) {
				// One broken listener must not stop the others or the stream.
				setTimeout(() => { throw error; });
			}
		}
	}

	/** @private */
	_setStatus(status, detail) {
		if (this.status === status && !detail) {
			return;
		}
		this.status = status;
		this._trace({ kind: 'status', status, transport: this.transport });
		this._emit('status', status, Object.assign({ transport: this.transport }, detail));
	}

	/** @private */
	_trace(entry) {
		if (this._log) {
			entry.at = Date.now();
			this._log.push(entry);
		}
	}

	// --- storage: the cursor and the latest snapshots survive a reload of the page --------------

	/** @private */
	_storageKey() {
		if (!this._key) {
			const claims = this._token ? jwtClaims(this._token) : null;
			const user = (claims && claims.sub) || 'default';
			this._key = DEFAULTS.storagePrefix + (this._options.storageKey || this._http + '|' + user);
		}
		return this._key;
	}

	/** @private */
	_restore() {
		if (!this._storage) {
			return;
		}
		try {
			const saved = JSON.parse(this._storage.getItem(this._storageKey()) || 'null');
			if (saved && typeof saved === 'object') {
				this._cursor = typeof saved.cursor === 'string' ? saved.cursor : null;
				for (const [job, seenAt] of saved.jobs || []) {
					this._jobs.set(job.id, job);
					this._seenAt.set(job.id, seenAt);
				}
				if (saved.transport === 'sse' && this._options.transport !== 'websocket') {
					this.transport = 'sse';
				}
			}
		}
		catch (ignored) {
			// A damaged entry: start afresh.
		}
	}

	/** @private */
	_saveSoon() {
		if (this._storage && this._saveTimer === null) {
			this._saveTimer = setTimeout(() => this._save(), 100);
		}
	}

	/** @private */
	_save() {
		clearTimeout(this._saveTimer);
		this._saveTimer = null;
		if (!this._storage || !this._restored) {
			return;
		}
		const now = Date.now();
		const keep = [...this._jobs.values()]
			.filter((job) => !isTerminal(job.state) || now - (this._seenAt.get(job.id) || 0) < DEFAULTS.rememberFinishedMs)
			.sort((a, b) => (this._seenAt.get(b.id) || 0) - (this._seenAt.get(a.id) || 0))
			.slice(0, DEFAULTS.rememberJobs);
		try {
			this._storage.setItem(this._storageKey(), JSON.stringify({
				cursor: this._cursor,
				transport: this.transport,
				jobs: keep.map((job) => [job, this._seenAt.get(job.id) || now]),
			}));
		}
		catch (ignored) {
			// Storage full or denied: resuming after a reload is lost, the live stream is not.
		}
	}

}

/** The data of one Server-Sent Event (its lines up to the blank one), or null for a comment or ping. */
function eventData(block) {
	const data = [];
	for (const line of block.split('\n')) {
		if (line.startsWith('data:')) {
			data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
		}
	}
	return data.length ? data.join('\n') : null;
}

/** @param {string | null | undefined} cursor */
function parseCursor(cursor) {
	const match = /^(\d+)-(\d+)$/.exec(cursor || '');
	return match ? { partition: Number(match[1]), offset: Number(match[2]) } : null;
}

/** The claims of a JWT, read without verifying it (the server does that). */
function jwtClaims(token) {
	try {
		const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
		return JSON.parse(atob(payload + '='.repeat((4 - payload.length % 4) % 4)));
	}
	catch (ignored) {
		return null;
	}
}

function expiresSoon(token) {
	const claims = jwtClaims(token);
	return !!(claims && typeof claims.exp === 'number' && claims.exp * 1000 - Date.now() < DEFAULTS.tokenLeewayMs);
}

function sessionStorageOrNull() {
	try {
		return globalThis.sessionStorage || null;
	}
	catch (ignored) {
		// Denied (sandboxed iframe, privacy settings).
		return null;
	}
}

/** The problem+json body of a refused request (RFC 9457), or null. */
async function problemOf(response) {
	try {
		const type = response.headers.get('Content-Type') || '';
		return type.includes('json') ? await response.json() : null;
	}
	catch (error) {
		return null;
	}
}
