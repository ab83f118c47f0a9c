// Types of the Inloop browser client: `@inloop/client`, or the notifier's `/inloop.js`.
// Toasts: inloop-toasts.d.ts; React hooks: react.d.ts. Guide: docs/browser-client.md.
// Wire format: docs/protocol.md.

export type JobState = 'QUEUED' | 'RUNNING' | 'RETRYING' | 'STALLED' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** One full snapshot of a job: the latest one is all a page needs. */
export interface Job {
	id: string;
	owner: string;
	type: string;
	state: JobState;
	progress: { done: number; total: number };
	/** What the job is doing, for its user; null when it has nothing to say. */
	message: string | null;
	/** Set when SUCCEEDED; any JSON the handler returned, e.g. `{ url: '/files/report.pdf' }`. */
	result?: unknown;
	error?: { code: string; message: string; retryable: boolean };
	attempt: number;
	/** attempt << 32 | sequence: only a greater version advances the job. */
	version: number;
	submittedAt: string;
	updatedAt: string;
	startedAt?: string;
	finishedAt?: string;
	/** Set while RETRYING. */
	nextAttemptAt?: string;
}

export interface Protocol {
	readonly webSocketPath: string;
	readonly eventStreamPath: string;
	readonly cursorParameter: string;
	/** The type of the WebSocket's first message, `{"type":"auth","token":"<jwt>"}`: tokens never go into URLs. */
	readonly authFrame: 'auth';
	readonly frames: { readonly JOB: 'job'; readonly SNAPSHOT: 'snapshot'; readonly LIVE: 'live'; readonly CLOSED: 'closed' };
	readonly close: {
		readonly NORMAL: 1000; readonly GOING_AWAY: 1001; readonly ABNORMAL: 1006; readonly POLICY_VIOLATION: 1008;
		readonly TRY_AGAIN_LATER: 1013; readonly BAD_CURSOR: 4000; readonly TOKEN_EXPIRED: 4001; readonly TOO_SLOW: 4008;
		readonly LIMIT_EXCEEDED: 4029; readonly UNAUTHORIZED: 4401; readonly AUTH_TIMEOUT: 4408;
	};
	readonly states: readonly JobState[];
	readonly terminalStates: readonly JobState[];
}

export interface ConnectOptions {
	/** The notifier's base URL, e.g. 'https://notifier.example.com'; default: this page's origin. */
	url?: string;
	/** A JWT whose `sub` is the user. Give this, getToken, or both. */
	token?: string;
	/** Called for a first or a fresh token: when the server says the token expired, or refuses it. */
	getToken?: () => string | Promise<string>;
	/** 'auto' (default): WebSocket, Server-Sent Events when WebSockets are blocked on the way. */
	transport?: 'auto' | 'websocket' | 'sse';
	/** Where the cursor and latest snapshots survive a reload; default sessionStorage, null for nowhere. */
	storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
	/** Names the stored state; default: the notifier URL and the token's `sub`. */
	storageKey?: string;
	/** Reconnect back-off (equal jitter): defaults 500 ms, doubling, at most 10 s. */
	backoff?: { initialMs?: number; maxMs?: number; factor?: number };
	/** An array that receives a debug record of every step (frames, drops, reconnects). */
	log?: LogEntry[];
	/** Same as `log: window.__inloopLog`. */
	debug?: boolean;
}

/** How the client came to know a snapshot. */
export type JobSource = 'live' | 'catch-up' | 'snapshot' | 'restored' | 'api' | 'known';

export interface JobEventInfo {
	source: JobSource;
	/** The snapshot this one replaces, if the client knew the job. */
	previous?: Job;
}

export type ConnectionStatus = 'connecting' | 'open' | 'live' | 'reconnecting' | 'closed';

export interface StatusDetail {
	transport: 'websocket' | 'sse';
	/** While reconnecting: when the next attempt is. */
	retryInMs?: number;
}

export interface ClientError {
	/** `refused`: the server answered 403 (an origin it does not allow, a token without access); the client has stopped. */
	kind: 'token' | 'closed' | 'fallback' | 'frame' | 'refused';
	code?: number;
	/** `refused`: the HTTP status. */
	status?: number;
	/** `refused`: the problem type, e.g. `https://inloop.dev/problems/origin-not-allowed`. */
	type?: string;
	reason?: string;
	error?: unknown;
}

export interface LogEntry {
	kind: 'job' | 'drop' | 'status' | 'open' | 'close' | 'probe' | 'retry' | 'fallback' | 'token';
	at: number;
	[key: string]: unknown;
}

export declare class InloopClient {
	constructor(options: ConnectOptions);
	readonly protocol: Protocol;
	readonly status: ConnectionStatus;
	readonly transport: 'websocket' | 'sse';
	/** The last cursor received, '<partition>-<offset>', or null. */
	readonly cursor: string | null;
	/** Every accepted snapshot of every job (duplicates and stale ones are dropped). */
	on(type: 'job', listener: (job: Job, info: JobEventInfo) => void): () => void;
	on(type: 'status', listener: (status: ConnectionStatus, detail: StatusDetail) => void): () => void;
	/** Snapshots follow instead of history: first connection, or `recovered: false` when the cursor was too old. */
	on(type: 'snapshot', listener: (detail: { jobs: number; recovered?: boolean }) => void): () => void;
	/** Catching up is over. */
	on(type: 'live', listener: () => void): () => void;
	on(type: 'error', listener: (error: ClientError) => void): () => void;
	/** One job's snapshots; the latest known one at once. */
	onJob(id: string, listener: (job: Job, info: JobEventInfo) => void): () => void;
	job(id: string): Job | undefined;
	/** Latest snapshots, newest submission first. */
	jobs(): Job[];
	/** A snapshot from elsewhere (e.g. the response of POST /api/jobs), through the same version check. */
	offer(job: Job): boolean;
	reconnect(): void;
	close(): void;
}

export declare const PROTOCOL: Protocol;
export declare function connect(options: ConnectOptions): InloopClient;
export declare function isTerminal(state: string): boolean;
/** The server's JobLifecycle rule: a greater version, never after a terminal state. */
export declare function advances(current: Job | undefined, next: Job): boolean;

declare global {
	/** `window.Inloop`, set by the classic scripts `/inloop.js` and `/inloop-toasts.js` (not by the modules). */
	interface InloopGlobal {
		connect: typeof connect;
		isTerminal: typeof isTerminal;
		advances: typeof advances;
		InloopClient: typeof InloopClient;
		PROTOCOL: Protocol;
	}
	interface Window {
		Inloop?: InloopGlobal;
		__inloopLog?: LogEntry[];
	}
}
