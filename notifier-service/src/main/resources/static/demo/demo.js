// The demo page: dev tokens, buttons that submit jobs, the toasts, and a table of the user's jobs.
// Local mode only (dev tokens); a host application does the same with its own tokens.
import { connect, isTerminal } from '../inloop.js';
import { showToasts, formatDuration } from '../inloop-toasts.js';

/** What each button submits (api-service job types, see docs/writing-handlers.md). */
const JOBS = Object.freeze({
	quick: { label: 'Quick job', request: { type: 'demo.steps', payload: { steps: 5, delayMs: 300 } } },
	long: { label: 'Long job', request: { type: 'demo.steps', payload: { steps: 60, delayMs: 1000 } } },
	flaky: { label: 'Flaky job', request: { type: 'demo.flaky', payload: { failures: 2 } } },
	failing: { label: 'Failing job', request: { type: 'demo.fail', payload: { message: 'The export server is out of disk' } } },
});
const TYPE_LABELS = Object.freeze({ 'demo.steps': 'Steps job', 'demo.flaky': 'Flaky job', 'demo.fail': 'Failing job' });
const STORE = 'inloop-demo:';
const params = new URLSearchParams(location.search);

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const state = {
	apiUrl: '',
	user: null,
	token: null,
	client: null,
	toasts: null,
	/** @type {Map<string, import('../inloop').Job>} */ rows: new Map(),
	labels: readJson(STORE + 'labels', {}),
	refreshTimer: null,
};

// Every job snapshot the page shows, in order: the browser tests read it.
window.__inloopLog = [];
window.inloopDemo = state;

init();

async function init() {
	applyTheme(localStorage.getItem(STORE + 'theme') || '');
	$('theme-select').addEventListener('change', (event) => applyTheme(event.target.value));
	document.querySelectorAll('[data-origin]').forEach((span) => { span.textContent = location.origin; });
	try {
		const response = await fetch('/demo/config.json', { cache: 'no-store' });
		state.apiUrl = (await response.json()).apiUrl;
	}
	catch (error) {
		state.apiUrl = 'http://localhost:8080';
	}
	const form = $('sign-in-form');
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		signIn(form.user.value.trim());
	});
	form.querySelectorAll('[data-user]').forEach((chip) => chip.addEventListener('click', () => {
		form.user.value = chip.dataset.user;
		signIn(chip.dataset.user);
	}));
	document.querySelectorAll('[data-job]').forEach((button) => button.addEventListener('click', () => start(button.dataset.job)));
	const user = params.get('user') || sessionStorage.getItem(STORE + 'user');
	if (user) {
		form.user.value = user;
		signIn(user);
	}
}

async function signIn(user) {
	if (!user) {
		return;
	}
	state.client?.close();
	state.toasts?.destroy();
	state.rows.clear();
	state.user = user;
	state.token = null;
	sessionStorage.setItem(STORE + 'user', user);
	$('current-user').innerHTML = '';
	$('current-user').append('Signed in as ', strong(user), '. Open a second tab as the same user: both see every job.');
	$('jobs-owner').textContent = user + '’s jobs';
	try {
		state.token = await mintToken(user);
	}
	catch (error) {
		showError('No dev token: ' + error.message + '. Is api-service running with local mode (inloop start)?');
		return;
	}
	showError('');
	state.client = connect({
		url: location.origin,
		token: state.token,
		// Called when the token has expired (or is about to): the client reconnects with the new one.
		getToken: async () => (state.token = await mintToken(user)),
		transport: params.get('transport') || 'auto',
		log: window.__inloopLog,
	});
	state.client.on('status', showStatus);
	state.client.on('job', (job) => {
		upsertRow(job);
		if (isTerminal(job.state) || job.state === 'QUEUED') {
			refreshSoon();
		}
	});
	state.client.on('live', () => refreshSoon(0));
	state.toasts = showToasts(state.client, {
		onCancel: cancel,
		describe: (job) => state.labels[job.id] || TYPE_LABELS[job.type] || job.type,
		resultLink: (job) => (job.result && typeof job.result.url === 'string')
			? { href: job.result.url }
			: { href: '#job-' + job.id, label: 'Show in the table' },
	});
	document.querySelectorAll('[data-job]').forEach((button) => { button.disabled = false; });
	refreshSoon(0);
}

/** A dev token (local mode): a real app mints its own, see docs/browser-client.md. */
async function mintToken(user) {
	const ttl = params.get('tokenTtl');
	const response = await fetch(state.apiUrl + '/api/dev/tokens', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(ttl ? { user, ttlSeconds: Number(ttl) } : { user }),
	});
	if (!response.ok) {
		throw new Error('HTTP ' + response.status);
	}
	return (await response.json()).token;
}

async function api(path, init = {}) {
	if (!state.token) {
		state.token = await mintToken(state.user);
	}
	const headers = Object.assign({ Authorization: 'Bearer ' + state.token }, init.headers);
	let response = await fetch(state.apiUrl + path, Object.assign({}, init, { headers }));
	if (response.status === 401) {
		state.token = await mintToken(state.user);
		headers.Authorization = 'Bearer ' + state.token;
		response = await fetch(state.apiUrl + path, Object.assign({}, init, { headers }));
	}
	return response;
}

async function start(kind) {
	const requests = kind === 'ten'
		? Array.from({ length: 10 }, (_, index) => ({
			label: 'Batch job ' + (index + 1) + ' of 10',
			// Short and of different lengths, so they finish one after the other within seconds.
			request: { type: 'demo.steps', payload: { steps: 3 + (index % 5), delayMs: 400 } },
		}))
		: [JOBS[kind]];
	try {
		await Promise.all(requests.map(submit));
		showError('');
	}
	catch (error) {
		showError('Could not start the job: ' + error.message);
	}
}

async function submit({ label, request }) {
	const response = await api('/api/jobs', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(request),
	});
	if (!response.ok) {
		throw new Error(await problem(response));
	}
	const job = await response.json();
	state.labels[job.id] = label;
	sessionStorage.setItem(STORE + 'labels', JSON.stringify(state.labels));
	// The toast shows now; the stream's frames of the job follow through the same version check.
	if (!state.client.offer(job)) {
		// The stream was first: its toast and row get the label now.
		state.toasts.refresh(job.id);
		renderTable();
	}
}

/** The toasts' cancel button. */
async function cancel(job) {
	const response = await api('/api/jobs/' + encodeURIComponent(job.id) + '/cancel', { method: 'POST' });
	// 409: it ended meanwhile, and its last frame says how.
	if (!response.ok && response.status !== 409) {
		throw new Error(await problem(response));
	}
}

async function problem(response) {
	try {
		const body = await response.json();
		return body.detail || body.title || 'HTTP ' + response.status;
	}
	catch (ignored) {
		return 'HTTP ' + response.status;
	}
}

// --- the table --------------------------------------------------------------------------------

function refreshSoon(delay = 400) {
	clearTimeout(state.refreshTimer);
	state.refreshTimer = setTimeout(refresh, delay);
}

async function refresh() {
	if (!state.user) {
		return;
	}
	const user = state.user;
	try {
		const response = await api('/api/jobs?limit=20');
		if (!response.ok || user !== state.user) {
			return;
		}
		for (const job of await response.json()) {
			upsertRow(job);
		}
		$('jobs-refreshed').textContent = 'from GET /api/jobs at ' + new Date().toLocaleTimeString();
	}
	catch (error) {
		$('jobs-refreshed').textContent = 'GET /api/jobs failed: ' + error.message;
	}
}

function upsertRow(job) {
	const current = state.rows.get(job.id);
	if (current && (isTerminal(current.state) || current.version >= job.version)) {
		return;
	}
	state.rows.set(job.id, job);
	renderTable();
}

function renderTable() {
	const body = $('jobs-body');
	const jobs = [...state.rows.values()]
		.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))
		.slice(0, 20);
	if (jobs.length === 0) {
		return;
	}
	body.replaceChildren(...jobs.map(row));
}

function row(job) {
	const tr = document.createElement('tr');
	tr.id = 'job-' + job.id;
	tr.dataset.testid = 'job-row';
	tr.dataset.jobId = job.id;
	tr.dataset.state = job.state;
	const progress = job.progress || { done: 0, total: 0 };
	const percent = progress.total > 0 ? Math.round(100 * progress.done / progress.total) : 0;
	const name = document.createElement('td');
	name.append(strong(state.labels[job.id] || TYPE_LABELS[job.type] || job.type), document.createElement('br'), small(job.type + ' · ' + job.id.slice(-8)));
	const badge = document.createElement('span');
	badge.className = 'badge';
	badge.dataset.state = job.state;
	badge.dataset.testid = 'job-state';
	badge.textContent = job.state.toLowerCase();
	const bar = document.createElement('div');
	bar.className = 'meter';
	bar.innerHTML = '<span></span>';
	bar.firstChild.style.width = (job.state === 'SUCCEEDED' ? 100 : percent) + '%';
	const progressCell = document.createElement('td');
	progressCell.append(bar, small(progress.total > 0 ? progress.done + ' / ' + progress.total : '—'));
	const message = job.error ? job.error.message : (job.message || '');
	tr.append(name, cell(badge), progressCell, cell(message), cell(String(job.attempt)), cell(ago(job)));
	return tr;
}

function ago(job) {
	const ms = Date.now() - Date.parse(job.updatedAt);
	return Number.isFinite(ms) ? formatDuration(Math.max(0, ms)) + ' ago' : '';
}

// --- bits -------------------------------------------------------------------------------------

function showStatus(status, detail) {
	const pill = $('connection-status');
	pill.dataset.status = status;
	pill.dataset.transport = detail.transport;
	const via = detail.transport === 'sse' ? 'Server-Sent Events' : 'WebSocket';
	const text = {
		connecting: 'connecting…',
		open: 'catching up…',
		live: 'live · ' + via,
		reconnecting: 'reconnecting' + (detail.retryInMs ? ' in ' + Math.ceil(detail.retryInMs / 1000) + ' s' : '…'),
		closed: 'disconnected',
	}[status] || status;
	pill.querySelector('.pill__text').textContent = text;
}

function showError(text) {
	const element = $('action-error');
	element.textContent = text;
	element.hidden = !text;
}

function applyTheme(theme) {
	if (theme) {
		document.documentElement.dataset.theme = theme;
	}
	else {
		delete document.documentElement.dataset.theme;
	}
	localStorage.setItem(STORE + 'theme', theme);
	$('theme-select').value = theme;
}

function readJson(key, fallback) {
	try {
		return JSON.parse(sessionStorage.getItem(key)) || fallback;
	}
	catch (ignored) {
		return fallback;
	}
}

function cell(content) {
	const td = document.createElement('td');
	td.append(content);
	return td;
}

function strong(text) {
	const element = document.createElement('strong');
	element.textContent = text;
	return element;
}

function small(text) {
	const element = document.createElement('small');
	element.textContent = text;
	return element;
}
