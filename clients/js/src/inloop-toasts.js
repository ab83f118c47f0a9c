// Inloop toasts: one toast per job, fed by an Inloop client (inloop.js). Plain DOM, no framework.
// Style: inloop-toasts.css (themable with --inloop-* custom properties). Types: inloop-toasts.d.ts.
// `@inloop/client/toasts`; the notifier serves it as `/inloop-toasts.js` (module and classic script).

const TEXT = Object.freeze({
	region: 'Background jobs',
	queued: 'Queued',
	queuedDetail: 'Waiting for a worker…',
	running: 'Running',
	stillWorking: (elapsed) => 'Still working — ' + elapsed,
	stalled: 'Stalled',
	stalledDetail: 'The worker stopped responding; retrying',
	retrying: 'Failed — retrying',
	retryingAt: (time) => 'Failed — retrying at ' + time,
	succeeded: 'Done',
	failed: 'Failed',
	willRetry: 'It will be retried.',
	willNotRetry: 'It will not be retried.',
	gaveUp: (attempts) => 'Gave up after ' + attempts + (attempts === 1 ? ' attempt.' : ' attempts.'),
	cancelled: 'Cancelled',
	cancel: 'Cancel',
	cancelling: 'Cancelling…',
	cancelFailed: (message) => 'Could not cancel: ' + message,
	dismiss: 'Dismiss',
	openResult: 'Open result',
	more: (count) => '+' + count + ' more',
	fewer: 'Show fewer',
	attempt: (attempt) => 'attempt ' + attempt,
});

const DEFAULTS = Object.freeze({
	maxVisible: 4,
	succeededDismissMs: 6000,
	cancelledDismissMs: 4000,
	position: 'bottom-right',
});

// Jobs first seen in one of these ways are old news once ended: no toast pops up for them.
const QUIET_SOURCES = Object.freeze(['snapshot', 'restored', 'known']);

/**
 * Shows a toast per job of `client`.
 * @param {import('./inloop').InloopClient} client
 * @param {import('./inloop-toasts').ToastOptions} [options]
 * @returns {import('./inloop-toasts').InloopToasts}
 */
export function showToasts(client, options) {
	return new InloopToasts(client, options || {});
}

export class InloopToasts {

	/**
	 * @param {import('./inloop').InloopClient} client
	 * @param {import('./inloop-toasts').ToastOptions} options
	 */
	constructor(client, options) {
		/** @private */ this._client = client;
		/** @private */ this._options = Object.assign({}, DEFAULTS, options);
		/** @private */ this._text = Object.assign({}, TEXT, options.text);
		/** @private */ this._terminal = client.protocol.terminalStates;
		/** @private @type {Map<string, ToastEntry>} */ this._toasts = new Map();
		/** @private @type {Set<string>} */ this._dismissed = new Set();
		/** @private */ this._expanded = false;
		const doc = (options.container && options.container.ownerDocument) || document;
		/** @private */ this._doc = doc;

		const region = doc.createElement('section');
		region.className = 'inloop-toasts';
		region.dataset.position = this._options.position;
		region.dataset.testid = 'toasts';
		region.setAttribute('aria-label', this._text.region);
		this._list = doc.createElement('ol');
		this._list.className = 'inloop-toasts__list';
		this._more = doc.createElement('button');
		this._more.type = 'button';
		this._more.className = 'inloop-toasts__more';
		this._more.dataset.testid = 'toast-more';
		this._more.hidden = true;
		this._more.addEventListener('click', () => {
			this._expanded = !this._expanded;
			this._layout();
		});
		// Announcements are separate from the toasts, so a progress bar ticking is not read out each time.
		this._polite = liveRegion(doc, 'status', 'polite');
		this._assertive = liveRegion(doc, 'alert', 'assertive');
		region.append(this._list, this._more, this._polite, this._assertive);
		/** The toasts' region; append it yourself when no container was given. */
		this.element = region;
		(options.container || doc.body).appendChild(region);

		region.addEventListener('keydown', (event) => {
			if (event.key !== 'Escape') {
				return;
			}
			const toast = event.target.closest && event.target.closest('.inloop-toast');
			if (toast) {
				event.stopPropagation();
				this.dismiss(toast.dataset.jobId);
			}
		});
		/** @private */ this._off = client.on('job', (job, info) => this.show(job, info));
		/** @private */ this._ticker = setInterval(() => this._tick(), 1000);
		for (const job of client.jobs()) {
			if (!this._terminal.includes(job.state)) {
				this.show(job, { source: 'known' });
			}
		}
	}

	/**
	 * Shows or updates the toast of `job`.
	 * @param {import('./inloop').Job} job
	 * @param {import('./inloop').JobEventInfo} [info]
	 */
	show(job, info) {
		const source = (info && info.source) || 'live';
		const terminal = this._terminal.includes(job.state);
		let entry = this._toasts.get(job.id);
		if (!entry) {
			if (terminal && QUIET_SOURCES.includes(source)) {
				return;
			}
			// Dismissed while it ran: it comes back only to say how it ended.
			if (this._dismissed.has(job.id) && !terminal) {
				return;
			}
			entry = this._create(job);
		}
		const previous = entry.job;
		entry.heartbeat = isHeartbeat(previous, job) || (entry.heartbeat && sameWork(previous, job));
		entry.job = job;
		this._render(entry);
		if (!previous || previous.state !== job.state) {
			this._announce(entry);
			this._scheduleDismiss(entry);
		}
		this._layout();
	}

	/** Renders a job's toast again, e.g. after what `describe` says of it changed. */
	refresh(id) {
		const entry = this._toasts.get(id);
		if (entry) {
			this._render(entry);
		}
	}

	/** Removes a job's toast. */
	dismiss(id) {
		const entry = this._toasts.get(id);
		if (!entry) {
			return;
		}
		const focused = entry.element.contains(this._doc.activeElement);
		clearTimeout(entry.timer);
		this._toasts.delete(id);
		this._dismissed.add(id);
		entry.element.remove();
		this._layout();
		if (focused) {
			// Keyboard users stay in the stack rather than being thrown back to the top of the page.
			const next = this._list.querySelector('.inloop-toast:not([hidden]) .inloop-toast__close');
			if (next) {
				next.focus();
			}
		}
	}

	/** Removes every toast. */
	clear() {
		for (const id of [...this._toasts.keys()]) {
			this.dismiss(id);
		}
	}

	/** Stops listening and removes the region. */
	destroy() {
		this._off();
		clearInterval(this._ticker);
		for (const entry of this._toasts.values()) {
			clearTimeout(entry.timer);
		}
		this._toasts.clear();
		this.element.remove();
	}

	/** @private */
	_create(job) {
		const doc = this._doc;
		const element = doc.createElement('li');
		element.className = 'inloop-toast';
		element.dataset.testid = 'toast';
		element.dataset.jobId = job.id;
		element.tabIndex = -1;
		element.innerHTML = `
			<span class="inloop-toast__icon" aria-hidden="true"></span>
			<div class="inloop-toast__body">
				<p class="inloop-toast__title" data-testid="toast-title"></p>
				<p class="inloop-toast__status" data-testid="toast-status"></p>
				<div class="inloop-toast__bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" data-testid="toast-progress"><span></span></div>
				<p class="inloop-toast__message" data-testid="toast-message"></p>
				<p class="inloop-toast__detail" data-testid="toast-detail"></p>
				<div class="inloop-toast__actions">
					<a class="inloop-toast__result" data-testid="toast-result" target="_blank" rel="noopener"></a>
					<button type="button" class="inloop-toast__cancel" data-testid="toast-cancel"></button>
				</div>
			</div>
			<button type="button" class="inloop-toast__close" data-testid="toast-close"><span aria-hidden="true">×</span></button>`;
		const part = (name) => element.querySelector('.inloop-toast__' + name);
		/** @type {ToastEntry} */
		const entry = {
			job,
			element,
			heartbeat: false,
			timer: null,
			cancelling: false,
			parts: {
				title: part('title'),
				status: part('status'),
				bar: part('bar'),
				fill: part('bar').firstElementChild,
				message: part('message'),
				detail: part('detail'),
				result: part('result'),
				cancel: part('cancel'),
				close: part('close'),
			},
		};
		entry.parts.close.setAttribute('aria-label', this._text.dismiss);
		entry.parts.close.title = this._text.dismiss;
		entry.parts.close.addEventListener('click', () => this.dismiss(job.id));
		entry.parts.cancel.textContent = this._text.cancel;
		entry.parts.cancel.addEventListener('click', () => this._cancel(entry));
		// Reading a toast pauses its dismissal.
		const pause = () => clearTimeout(entry.timer);
		const resume = () => this._scheduleDismiss(entry);
		element.addEventListener('mouseenter', pause);
		element.addEventListener('mouseleave', resume);
		element.addEventListener('focusin', pause);
		element.addEventListener('focusout', (event) => {
			if (!element.contains(event.relatedTarget)) {
				resume();
			}
		});
		this._toasts.set(job.id, entry);
		this._list.prepend(element);
		return entry;
	}

	/** @private */
	_render(entry) {
		const { job, element, parts } = entry;
		const text = this._text;
		const progress = job.progress || { done: 0, total: 0 };
		const percent = progress.total > 0 ? Math.min(100, Math.round(100 * progress.done / progress.total)) : null;
		element.dataset.state = job.state;
		element.dataset.version = String(job.version);
		element.dataset.heartbeat = String(entry.heartbeat);
		parts.title.textContent = this._describe(job);

		let status = '';
		let detail = '';
		let message = job.message || '';
		let showBar = false;
		switch (job.state) {
			case 'QUEUED':
				status = text.queued;
				detail = message ? '' : text.queuedDetail;
				break;
			case 'RUNNING':
				status = text.running + (percent !== null ? ' · ' + percent + ' %' : '');
				showBar = true;
				if (entry.heartbeat) {
					detail = text.stillWorking(formatDuration(elapsed(job)));
				}
				else if (job.attempt > 1) {
					detail = text.attempt(job.attempt);
				}
				break;
			case 'STALLED':
				status = text.stalled;
				detail = text.stalledDetail;
				showBar = true;
				break;
			case 'RETRYING':
				status = job.nextAttemptAt ? text.retryingAt(formatTime(job.nextAttemptAt)) : text.retrying;
				message = job.error ? job.error.message : message;
				break;
			case 'SUCCEEDED':
				status = text.succeeded;
				showBar = progress.total > 0;
				break;
			case 'FAILED':
				status = text.failed;
				message = job.error ? job.error.message : message;
				detail = !job.error || !job.error.retryable ? text.willNotRetry : text.gaveUp(job.attempt);
				break;
			case 'CANCELLED':
				status = text.cancelled;
				break;
			default:
				status = job.state;
		}
		parts.status.textContent = status;
		setText(parts.message, message);
		setText(parts.detail, detail);

		parts.bar.hidden = !showBar;
		if (showBar) {
			if (percent === null) {
				parts.bar.removeAttribute('aria-valuenow');
				parts.bar.dataset.indeterminate = 'true';
				parts.fill.style.width = '';
			}
			else {
				parts.bar.setAttribute('aria-valuenow', String(percent));
				parts.bar.setAttribute('aria-valuetext', progress.done + ' of ' + progress.total);
				parts.bar.dataset.indeterminate = 'false';
				parts.fill.style.width = percent + '%';
			}
			parts.bar.setAttribute('aria-label', this._describe(job));
		}

		const link = job.state === 'SUCCEEDED' ? this._resultLink(job) : null;
		parts.result.hidden = !link;
		if (link) {
			parts.result.href = link.href;
			parts.result.textContent = link.label || text.openResult;
		}
		const cancellable = typeof this._options.onCancel === 'function' && !this._terminal.includes(job.state);
		parts.cancel.hidden = !cancellable;
		if (!entry.cancelling) {
			parts.cancel.disabled = false;
			parts.cancel.textContent = text.cancel;
		}
	}

	/** @private */
	_describe(job) {
		const custom = this._options.describe && this._options.describe(job);
		// The end of the id: its start is a UUIDv7's timestamp, the same for every job of the same moment
		return custom || job.type + ' · ' + job.id.slice(-8);
	}

	/** @private */
	_resultLink(job) {
		if (this._options.resultLink) {
			return this._options.resultLink(job);
		}
		const url = job.result && typeof job.result.url === 'string' ? job.result.url : null;
		return url ? { href: new URL(url, this._doc.baseURI).toString() } : null;
	}

	/** @private */
	async _cancel(entry) {
		if (entry.cancelling) {
			return;
		}
		entry.cancelling = true;
		entry.parts.cancel.disabled = true;
		entry.parts.cancel.textContent = this._text.cancelling;
		try {
			await this._options.onCancel(entry.job);
		}
		catch (error) {
			setText(entry.parts.detail, this._text.cancelFailed(error && error.message ? error.message : String(error)));
			entry.parts.cancel.disabled = false;
			entry.parts.cancel.textContent = this._text.cancel;
		}
		finally {
			entry.cancelling = false;
		}
	}

	/** @private */
	_scheduleDismiss(entry) {
		clearTimeout(entry.timer);
		const after = entry.job.state === 'SUCCEEDED' ? this._options.succeededDismissMs
			: entry.job.state === 'CANCELLED' ? this._options.cancelledDismissMs : 0;
		if (after > 0) {
			entry.timer = setTimeout(() => this.dismiss(entry.job.id), after);
		}
	}

	/** @private */
	_announce(entry) {
		const { job } = entry;
		const region = job.state === 'FAILED' ? this._assertive : this._polite;
		const parts = [this._describe(job), entry.parts.status.textContent, entry.parts.message.textContent,
			entry.parts.detail.textContent].filter(Boolean);
		region.textContent = '';
		// Set on the next frame: a screen reader announces a change, not the same text again.
		setTimeout(() => { region.textContent = parts.join('. '); }, 50);
	}

	/** Newest on top, the first few visible, the rest behind "+N more". @private */
	_layout() {
		const max = Math.max(1, this._options.maxVisible);
		const toasts = [...this._list.children];
		toasts.forEach((toast, index) => {
			toast.hidden = !this._expanded && index >= max;
		});
		const hidden = toasts.length - max;
		this._more.hidden = hidden <= 0;
		this._more.textContent = this._expanded ? this._text.fewer : this._text.more(hidden);
		this._more.setAttribute('aria-expanded', String(this._expanded));
		this.element.dataset.expanded = String(this._expanded);
		if (hidden <= 0) {
			this._expanded = false;
		}
	}

	/** Keeps "still working — 3 min" current between heartbeats. @private */
	_tick() {
		for (const entry of this._toasts.values()) {
			if (entry.heartbeat && entry.job.state === 'RUNNING') {
				this._render(entry);
			}
		}
	}

}

/**
 * @typedef {object} ToastEntry
 * @property {import('./inloop').Job} job
 * @property {HTMLLIElement} element
 * @property {boolean} heartbeat
 * @property {number | null} timer
 * @property {boolean} cancelling
 * @property {Record<string, HTMLElement>} parts
 */

/** A worker's heartbeat: the same work reported again, only later. */
function isHeartbeat(previous, job) {
	return !!previous && previous.state === 'RUNNING' && job.state === 'RUNNING' && sameWork(previous, job)
		&& previous.updatedAt !== job.updatedAt;
}

function sameWork(previous, job) {
	return !!previous && previous.state === job.state && previous.attempt === job.attempt
		&& (previous.message || null) === (job.message || null)
		&& (previous.progress || {}).done === (job.progress || {}).done
		&& (previous.progress || {}).total === (job.progress || {}).total;
}

/** From the job's own clock: updatedAt − startedAt, so the browser's clock does not matter. */
function elapsed(job) {
	const from = Date.parse(job.startedAt || job.submittedAt);
	const to = Date.parse(job.updatedAt);
	return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, to - from) : 0;
}

/** @param {number} ms */
export function formatDuration(ms) {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) {
		return seconds + ' s';
	}
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return minutes + ' min';
	}
	const hours = Math.floor(minutes / 60);
	return hours + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '');
}

/** A local time of day; with seconds when it is less than a minute away. */
export function formatTime(iso) {
	const at = new Date(iso);
	const soon = Math.abs(at.getTime() - Date.now()) < 60000;
	return at.toLocaleTimeString([], soon ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
		: { hour: '2-digit', minute: '2-digit' });
}

function setText(element, text) {
	element.textContent = text;
	element.hidden = !text;
}

function liveRegion(doc, role, politeness) {
	const region = doc.createElement('div');
	region.className = 'inloop-toasts__announcer';
	region.setAttribute('role', role);
	region.setAttribute('aria-live', politeness);
	region.setAttribute('aria-atomic', 'true');
	region.dataset.testid = 'toast-announcer-' + politeness;
	return region;
}
