// The operators' dashboard: jobs across owners from /admin/jobs, live changes from
// /admin/jobs/changes (Server-Sent Events read with fetch, so the token travels in a header),
// a job's history from /admin/events, cancel and retry. No framework; every text goes in as text.

const TOKEN_KEY = 'inloop.admin.token';
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);
const STATES = ['QUEUED', 'RUNNING', 'RETRYING', 'STALLED', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const HEALTH_EVERY_MS = 5000;

const state = {
	token: sessionStorage.getItem(TOKEN_KEY),
	filters: {},
	next: null,
	jobs: new Map(),
	liveCount: 0,
	stream: null,
	selected: null,
};

class Refused extends Error {
	constructor(status, detail) {
		super(detail);
		this.status = status;
	}
}

async function api(path, options = {}) {
	const response = await fetch(path, {
		...options,
		cache: 'no-store',
		headers: { ...(options.headers || {}), Authorization: 'Bearer ' + state.token },
	});
	if (response.status === 401 || response.status === 403) {
		signOut(response.status === 403 ? 'This token does not carry the admin scope.' : 'The token was refused (expired or not ours).');
		throw new Refused(response.status, 'signed out');
	}
	if (!response.ok) {
		throw new Refused(response.status, await problemDetail(response));
	}
	return response;
}

async function problemDetail(response) {
	try {
		const problem = await response.json();
		return problem.detail || problem.title || `HTTP ${response.status}`;
	}
	catch {
		return `HTTP ${response.status}`;
	}
}

function notice(text, kind = 'info') {
	const element = $('notice');
	element.textContent = text;
	element.dataset.kind = kind;
}

// Sign-in

function signIn(token) {
	state.token = token;
	sessionStorage.setItem(TOKEN_KEY, token);
	$('signin').hidden = true;
	$('dashboard').hidden = false;
	$('health').hidden = false;
	$('sign-out').hidden = false;
	load(true);
	connect();
	loadHealth();
	loadDeadLetters();
	$('dead-letters').hidden = false;
	clearInterval(state.healthTimer);
	state.healthTimer = setInterval(loadHealth, HEALTH_EVERY_MS);
}

function signOut(why) {
	state.token = null;
	sessionStorage.removeItem(TOKEN_KEY);
	if (state.stream) {
		state.stream.abort();
		state.stream = null;
	}
	clearInterval(state.healthTimer);
	liveStatus('offline');
	$('signin').hidden = false;
	$('dashboard').hidden = true;
	$('health').hidden = true;
	$('dead-letters').hidden = true;
	$('detail').hidden = true;
	$('sign-out').hidden = true;
	$('signin-error').textContent = why || '';
}

async function devToken() {
	const response = await fetch('/api/dev/tokens', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ user: 'operator', scopes: ['admin'] }),
	});
	if (!response.ok) {
		$('signin-error').textContent = response.status === 404 || response.status === 401
			? 'No dev tokens here: they exist only in local mode (./inloop start).'
			: await problemDetail(response);
		return;
	}
	signIn((await response.json()).token);
}

// The list

function readFilters() {
	const form = $('filters');
	const value = (name) => form.elements[name].value.trim();
	const instant = (name) => (value(name) ? new Date(value(name)).toISOString() : '');
	return {
		state: value('state'), type: value('type'), owner: value('owner'),
		from: instant('from'), to: instant('to'), limit: value('limit'),
	};
}

function query(filters, cursor) {
	const params = new URLSearchParams();
	Object.entries(filters).forEach(([name, value]) => value && params.set(name, value));
	if (cursor) {
		params.set('cursor', cursor);
	}
	return params.toString();
}

async function load(reset) {
	if (reset) {
		state.filters = readFilters();
		state.next = null;
		state.jobs.clear();
		$('jobs').replaceChildren();
	}
	try {
		const page = await (await api('/admin/jobs?' + query(state.filters, reset ? null : state.next))).json();
		page.jobs.forEach((job) => upsert(job, false));
		state.next = page.next;
		$('more').hidden = !page.next;
		$('empty').hidden = state.jobs.size > 0 || Boolean(page.next);
		if (reset) {
			notice('');
		}
	}
	catch (error) {
		if (error.status !== 401 && error.status !== 403) {
			notice(error.message, 'error');
		}
	}
}

/** Milliseconds since the epoch: ISO strings with and without fractions do not compare as text. */
const at = (instant) => Date.parse(instant);

function matches(job) {
	const f = state.filters;
	return (!f.state || job.state === f.state) && (!f.type || job.type === f.type)
		&& (!f.owner || job.owner === f.owner) && (!f.from || at(job.submittedAt) >= at(f.from))
		&& (!f.to || at(job.submittedAt) <= at(f.to));
}

/** A job from the list or a live change: updates its row, or adds one in order if it matches the filters. */
function upsert(job, live) {
	const known = state.jobs.get(job.id);
	if (known && known.version > job.version) {
		return;
	}
	if (!known && (!matches(job) || (live && state.next && at(job.submittedAt) < oldestShown()))) {
		return;
	}
	state.jobs.set(job.id, job);
	let row = $('jobs').querySelector(`tr[data-job-id="${CSS.escape(job.id)}"]`);
	if (!row) {
		row = document.createElement('tr');
		row.className = 'jobs__row';
		row.dataset.testid = 'job-row';
		row.dataset.jobId = job.id;
		insertInOrder(row, job);
	}
	render(row, job);
	$('empty').hidden = true;
	if (live) {
		row.dataset.flash = '';
		setTimeout(() => delete row.dataset.flash, 600);
		if (state.selected === job.id) {
			showFacts(job);
		}
	}
}

function oldestShown() {
	let oldest = null;
	state.jobs.forEach((job) => {
		oldest = (oldest === null || at(job.submittedAt) < oldest) ? at(job.submittedAt) : oldest;
	});
	return oldest;
}

function insertInOrder(row, job) {
	const rows = [...$('jobs').children];
	const after = rows.find((other) => {
		const shown = state.jobs.get(other.dataset.jobId);
		return shown && (at(shown.submittedAt) < at(job.submittedAt)
			|| (at(shown.submittedAt) === at(job.submittedAt) && shown.id > job.id));
	});
	$('jobs').insertBefore(row, after || null);
}

/** An instant as the time of day when it is today, else with its date: short enough for a column. */
function when(instant) {
	const date = new Date(instant);
	return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
}

/** A cell of a name of any length (an owner, a type): cut short with an ellipsis, whole in its title. */
function clipped(text) {
	const td = cell(text, 'clip');
	td.title = text;
	return td;
}

function cell(text, className) {
	const td = document.createElement('td');
	if (className) {
		td.className = className;
	}
	td.textContent = text;
	return td;
}

function stateBadge(value) {
	const badge = document.createElement('span');
	badge.className = 'state';
	badge.dataset.state = value;
	badge.textContent = value;
	return badge;
}

function progressOf(job) {
	const { done, total } = job.progress;
	if (!total) {
		return TERMINAL.has(job.state) || job.state === 'QUEUED' ? '' : String(done || '');
	}
	return `${done}/${total}`;
}

function progressBar(job) {
	const wrap = document.createElement('span');
	const { done, total } = job.progress;
	if (total) {
		const bar = document.createElement('span');
		bar.className = 'bar';
		const fill = document.createElement('span');
		fill.style.width = Math.min(100, Math.round((100 * done) / total)) + '%';
		bar.append(fill);
		wrap.append(bar, ' ');
	}
	wrap.append(progressOf(job));
	return wrap;
}

function button(label, testId, onClick, className = 'ghost small') {
	const element = document.createElement('button');
	element.type = 'button';
	element.className = className;
	element.dataset.testid = testId;
	element.textContent = label;
	element.addEventListener('click', (event) => {
		event.stopPropagation();
		onClick(element);
	});
	return element;
}

function render(row, job) {
	row.dataset.state = job.state;
	row.dataset.done = String(job.progress.done);
	row.setAttribute('aria-selected', String(state.selected === job.id));
	const stateCell = cell('');
	stateCell.dataset.testid = 'job-state';
	stateCell.append(stateBadge(job.state));
	const progress = cell('', 'nowrap');
	progress.append(progressBar(job));
	const message = cell(job.error ? `${job.error.code}: ${job.error.message}` : (job.message || ''), 'message');
	message.title = message.textContent;
	const actions = document.createElement('td');
	const wrap = document.createElement('div');
	wrap.className = 'actions';
	wrap.append(button('History', 'job-history', () => openDetail(job.id)));
	if (!TERMINAL.has(job.state)) {
		wrap.append(button('Cancel', 'job-cancel', (b) => cancel(job, b), 'danger small'));
	}
	if (job.state === 'FAILED') {
		wrap.append(button('Retry', 'job-retry', (b) => retry(job, b), 'small'));
	}
	actions.append(wrap);
	// The end of the id: its start is a UUIDv7's timestamp, the same for every job of the same moment
	const id = cell('…' + job.id.slice(-8), 'nowrap');
	id.title = job.id;
	const submitted = cell(when(job.submittedAt), 'nowrap');
	submitted.title = job.submittedAt;
	row.replaceChildren(submitted, id, clipped(job.owner), clipped(job.type), stateCell, progress, message,
		cell(String(job.attempt)), actions);
	row.onclick = () => openDetail(job.id);
}

// Actions

async function cancel(job, element) {
	element.disabled = true;
	try {
		const cancelled = await (await api(`/admin/jobs/${encodeURIComponent(job.id)}/cancel`, { method: 'POST' })).json();
		upsert(cancelled, true);
		notice(`Cancel sent for job ${job.id} of ${job.owner}.`);
	}
	catch (error) {
		element.disabled = false;
		notice(error.message, 'error');
	}
}

async function retry(job, element) {
	element.disabled = true;
	try {
		const response = await api(`/admin/jobs/${encodeURIComponent(job.id)}/retry`, { method: 'POST' });
		const retried = await response.json();
		upsert(retried, true);
		const again = response.headers.get('Idempotent-Replayed') === 'true' ? ' (it had been retried before)' : '';
		notice(`Job ${job.id} of ${job.owner} runs again as ${retried.id}${again}.`);
	}
	catch (error) {
		element.disabled = false;
		notice(error.message, 'error');
	}
}

// Dead letters: /admin/dead-letters, retried one by one through /admin/jobs/{id}/retry

async function loadDeadLetters() {
	const rows = $('dead-letter-rows');
	rows.dataset.loaded = 'false';
	try {
		const list = await (await api('/admin/dead-letters?limit=200')).json();
		rows.replaceChildren(...list.deadLetters.map(deadLetterRow));
		$('dead-letters-empty').hidden = list.deadLetters.length > 0;
		$('dead-letters-all').checked = false;
		selectionChanged();
		rows.dataset.loaded = 'true';
	}
	catch (error) {
		if (error.status !== 401 && error.status !== 403) {
			notice(`Dead letters: ${error.message}`, 'error');
		}
	}
}

function deadLetterRow(letter) {
	const row = document.createElement('tr');
	row.dataset.testid = 'dead-letter-row';
	row.dataset.jobId = letter.jobId || '';
	const pick = document.createElement('input');
	pick.type = 'checkbox';
	pick.disabled = !letter.readable;
	pick.dataset.testid = 'dead-letter-pick';
	pick.setAttribute('aria-label', `Select ${letter.jobId}`);
	pick.addEventListener('change', selectionChanged);
	const pickCell = cell('');
	pickCell.append(pick);
	const actions = cell('');
	actions.className = 'actions';
	if (letter.readable) {
		actions.append(button('Retry', 'dead-letter-retry', (element) => retryDeadLetters([letter], element)));
	}
	const error = cell(letter.error || '', 'message');
	error.title = error.textContent;
	row.append(pickCell, cell(when(letter.deadLetteredAt), 'nowrap'),
		cell(letter.jobId ? '…' + letter.jobId.slice(-8) : '(no key)', 'nowrap'), clipped(letter.owner || '(not a command)'),
		clipped(letter.type || ''), cell(letter.code || '', 'nowrap'), error, cell(letter.attempt === null ? '' : String(letter.attempt)), actions);
	row.querySelector('td:nth-child(3)').title = letter.jobId || '';
	row.letter = letter;
	return row;
}

function selectedDeadLetters() {
	return [...document.querySelectorAll('[data-testid=dead-letter-row]')]
		.filter((row) => row.querySelector('[data-testid=dead-letter-pick]').checked)
		.map((row) => row.letter);
}

function selectionChanged() {
	$('dead-letters-retry').disabled = selectedDeadLetters().length === 0;
}

async function retryDeadLetters(letters, element) {
	element.disabled = true;
	const done = [];
	const failed = [];
	for (const letter of letters) {
		try {
			const response = await api(`/admin/jobs/${encodeURIComponent(letter.jobId)}/retry`, { method: 'POST' });
			const retried = await response.json();
			upsert(retried, true);
			done.push(retried.id);
		}
		catch (error) {
			failed.push(`${letter.jobId}: ${error.message}`);
		}
	}
	notice(`${done.length} retried${done.length ? ' as ' + done.join(', ') : ''}`
		+ (failed.length ? `; not retried: ${failed.join('; ')}` : '') + '.', failed.length ? 'error' : 'info');
	element.disabled = false;
	selectionChanged();
}

// Detail and history

function showFacts(job) {
	const facts = [['Owner', job.owner], ['Type', job.type], ['State', job.state], ['Attempt', job.attempt],
		['Message', job.message || ''], ['Error', job.error ? `${job.error.code}: ${job.error.message}` : ''],
		['Result', job.result ? JSON.stringify(job.result) : ''], ['Submitted', job.submittedAt],
		['Started', job.startedAt || ''], ['Finished', job.finishedAt || ''], ['Resubmit of', job.resubmitOf || '']];
	const list = $('detail-facts');
	list.replaceChildren();
	facts.filter(([, value]) => value !== '').forEach(([name, value]) => {
		const dt = document.createElement('dt');
		dt.textContent = name;
		const dd = document.createElement('dd');
		dd.textContent = String(value);
		dd.dataset.testid = 'fact-' + name.toLowerCase().replace(/\s+/g, '-');
		list.append(dt, dd);
	});
}

/** The job's command, read back: its payload, as text. */
async function showPayload(id) {
	let text;
	try {
		const command = await (await api(`/admin/jobs/${encodeURIComponent(id)}/command`)).json();
		text = JSON.stringify(command.payload, null, 2);
	}
	catch (error) {
		text = `(not available: ${error.message})`;
	}
	if (state.selected !== id) {
		return;
	}
	const dt = document.createElement('dt');
	dt.textContent = 'Payload';
	const dd = document.createElement('dd');
	const pre = document.createElement('pre');
	pre.className = 'payload';
	pre.textContent = text;
	dd.dataset.testid = 'fact-payload';
	dd.append(pre);
	$('detail-facts').append(dt, dd);
}

async function openDetail(id) {
	state.selected = id;
	document.querySelectorAll('tr.jobs__row').forEach((row) => row.setAttribute('aria-selected', String(row.dataset.jobId === id)));
	$('detail').hidden = false;
	$('detail').scrollIntoView({ block: 'nearest' });
	$('detail-id').textContent = id;
	const history = $('history');
	history.replaceChildren();
	history.dataset.loaded = 'false';
	try {
		const job = await (await api(`/admin/jobs/${encodeURIComponent(id)}`)).json();
		showFacts(job);
		showPayload(id);
		// The job's own partition from shortly before its submission: the read stays small
		const from = new Date(Date.parse(job.submittedAt) - 60_000).toISOString();
		const params = new URLSearchParams({ job: id, owner: job.owner, from });
		const text = await (await api('/admin/events?' + params, { headers: { Accept: 'application/x-ndjson' } })).text();
		if (state.selected !== id) {
			return;
		}
		text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)).forEach((line) => {
			const event = line.job;
			const row = document.createElement('tr');
			row.dataset.testid = 'history-row';
			row.dataset.state = event.state;
			const stateCell = cell('');
			stateCell.append(stateBadge(event.state));
			row.append(cell(new Date(line.timestamp).toLocaleTimeString(), 'nowrap'), stateCell, cell(progressOf(event)),
				cell(event.error ? `${event.error.code}: ${event.error.message}` : (event.message || ''), 'message'),
				cell(String(event.attempt)), cell(line.cursor, 'nowrap'));
			history.append(row);
		});
		history.dataset.loaded = 'true';
	}
	catch (error) {
		if (error.status === 404) {
			$('detail').hidden = true;
		}
		notice(error.message, 'error');
	}
}

// Live changes

function liveStatus(status) {
	$('live-status').dataset.status = status;
	$('live-text').textContent = status;
}

async function connect() {
	if (state.stream || !state.token) {
		return;
	}
	const abort = new AbortController();
	state.stream = abort;
	liveStatus('connecting');
	let wasLive = false;
	try {
		const response = await api('/admin/jobs/changes', { headers: { Accept: 'text/event-stream' }, signal: abort.signal });
		const reader = response.body.getReader();
		const decoder = new TextDecoder();
		let buffered = '';
		for (;;) {
			const { value, done } = await reader.read();
			if (done) {
				break;
			}
			buffered += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
			let end;
			while ((end = buffered.indexOf('\n\n')) >= 0) {
				const event = parseEvent(buffered.slice(0, end));
				buffered = buffered.slice(end + 2);
				if (event.type === 'live') {
					wasLive = true;
					liveStatus('live');
				}
				else if (event.type === 'job' && event.data) {
					state.liveCount++;
					$('live-count').textContent = `${state.liveCount} live updates`;
					upsert(JSON.parse(event.data), true);
				}
			}
		}
	}
	catch (error) {
		if (abort.signal.aborted) {
			return;
		}
	}
	if (state.stream !== abort) {
		return;
	}
	state.stream = null;
	liveStatus('offline');
	if (state.token) {
		// Reconnect, and read the list again for what changed meanwhile
		setTimeout(() => {
			if (wasLive) {
				load(true);
			}
			connect();
		}, wasLive ? 500 : 3000);
	}
}

function parseEvent(block) {
	const event = { type: 'message', data: null };
	const data = [];
	block.split('\n').forEach((line) => {
		if (line.startsWith('event:')) {
			event.type = line.slice(6).trim();
		}
		else if (line.startsWith('data:')) {
			data.push(line.slice(5).replace(/^ /, ''));
		}
	});
	event.data = data.length ? data.join('\n') : null;
	return event;
}

// Queue health: /admin/jobs/stats every few seconds

async function loadHealth() {
	try {
		renderHealth(await (await api('/admin/jobs/stats')).json());
	}
	catch (error) {
		if (!(error instanceof Refused && error.status === 401) && !(error instanceof Refused && error.status === 403)) {
			$('health-at').textContent = `Figures not available: ${error.message}`;
		}
	}
}

function duration(seconds) {
	if (seconds === null || seconds === undefined) {
		return '–';
	}
	if (seconds < 60) {
		return `${seconds} s`;
	}
	if (seconds < 3600) {
		return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
	}
	return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function renderHealth(stats) {
	const hour = stats.lastHour;
	const ended = (minute) => minute.succeeded + minute.failed + minute.cancelled;
	const lastFive = hour.minutes.slice(0, 5).reduce((sum, minute) => sum + ended(minute), 0);
	$('health-waiting').textContent = String(stats.waiting);
	$('health-oldest').textContent = duration(stats.oldestWaitSeconds);
	$('health-oldest').dataset.seconds = stats.oldestWaitSeconds === null ? '' : String(stats.oldestWaitSeconds);
	$('health-throughput').textContent = (lastFive / 5).toFixed(1);
	$('health-ended').textContent = String(hour.succeeded + hour.failed + hour.cancelled);
	$('health-failure-rate').textContent = hour.failureRate === null ? '–' : `${(hour.failureRate * 100).toFixed(1)} %`;
	const chips = $('health-states');
	chips.replaceChildren(...STATES.map((name) => {
		const chip = document.createElement('button');
		chip.type = 'button';
		chip.className = 'chip';
		chip.dataset.testid = `health-state-${name}`;
		chip.title = `Show the ${name} jobs`;
		chip.append(stateBadge(name), document.createTextNode(` ${stats.states[name] || 0}`));
		chip.addEventListener('click', () => {
			$('filter-state').value = name;
			load(true);
		});
		return chip;
	}));
	$('health-types').replaceChildren(...Object.entries(stats.types).map(([type, counts]) => {
		const row = document.createElement('tr');
		row.dataset.type = type;
		row.append(cell(type, 'mono'), ...STATES.map((name) => cell(String(counts[name] || 0), 'num')));
		return row;
	}));
	drawSpark(hour.minutes.map(ended).reverse());
	$('health-at').textContent = `Figures of ${new Date(stats.at).toLocaleTimeString()}, every api-service instance's added up; `
		+ 'finished jobs count for as long as the ledger keeps them.';
}

function drawSpark(values) {
	const svg = $('health-spark');
	const max = Math.max(1, ...values);
	const step = 120 / Math.max(1, values.length - 1);
	const points = values.map((value, i) => `${(i * step).toFixed(1)},${(31 - (value / max) * 30).toFixed(1)}`).join(' ');
	const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
	line.setAttribute('points', points);
	line.setAttribute('class', 'spark__line');
	svg.replaceChildren(line);
}

// Wiring

$('token-form').addEventListener('submit', (event) => {
	event.preventDefault();
	const token = $('token').value.trim();
	$('token').value = '';
	signIn(token);
});
$('dev-token').addEventListener('click', devToken);
$('sign-out').addEventListener('click', () => signOut(''));
$('filters').addEventListener('submit', (event) => {
	event.preventDefault();
	load(true);
});
$('filters').addEventListener('reset', () => setTimeout(() => load(true)));
$('more').addEventListener('click', () => load(false));
$('dead-letters-refresh').addEventListener('click', loadDeadLetters);
$('dead-letters-retry').addEventListener('click', (event) => retryDeadLetters(selectedDeadLetters(), event.target));
$('dead-letters-all').addEventListener('change', (event) => {
	document.querySelectorAll('[data-testid=dead-letter-pick]:not(:disabled)').forEach((pick) => {
		pick.checked = event.target.checked;
	});
	selectionChanged();
});
$('find').addEventListener('submit', (event) => {
	event.preventDefault();
	const id = $('find-id').value.trim();
	if (id) {
		openDetail(id);
	}
});
$('detail-close').addEventListener('click', () => {
	state.selected = null;
	$('detail').hidden = true;
	document.querySelectorAll('tr.jobs__row').forEach((row) => row.setAttribute('aria-selected', 'false'));
});

if (state.token) {
	signIn(state.token);
}
