// React hooks for the Inloop browser client: `@inloop/client/react`. No JSX, no dependency but the
// `react` peer (18 or newer: useSyncExternalStore). Types: react.d.ts. Guide: docs/browser-client.md#react.
//
//   <InloopProvider options={{ url, getToken }}> … </InloopProvider>    (or client={connect(…)})
//   const { state, progress, message, error, status } = useInloopJob(id);
//   const { jobs, status } = useInloopJobs();

import { createContext, createElement, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';

import { connect } from './inloop.js';

const ClientContext = createContext(/** @type {import('./inloop').InloopClient | null} */ (null));

/**
 * Gives the hooks below a client: `client`, one the app made with `connect()` and closes itself,
 * or `options`, to connect on mount and close on unmount (reconnecting when `url`, `transport` or
 * `storageKey` change; a new `getToken` function is picked up without reconnecting).
 * @param {import('./react').InloopProviderProps} props
 */
export function InloopProvider(props) {
	const own = useOwnClient(props.client ? null : props.options || null);
	return createElement(ClientContext.Provider, { value: props.client || own }, props.children);
}

/** The client of the nearest InloopProvider, or null before it connected (or without a provider). */
export function useInloopClient() {
	return useContext(ClientContext);
}

/**
 * One job's latest snapshot, and the connection's status; re-renders on every accepted snapshot.
 * @param {string | null | undefined} id
 * @param {import('./inloop').InloopClient} [client] instead of the provider's
 * @returns {import('./react').InloopJobView}
 */
export function useInloopJob(id, client) {
	const current = useClient(client);
	const connection = useConnection(current);
	const job = current && id ? current.job(id) : undefined;
	return useMemo(() => Object.assign(view(job, current), {
		status: connection.status,
		connectionError: connection.connectionError,
	}), [job, current, connection]);
}

/**
 * Every job the client knows, newest submission first, and the connection's status.
 * @param {import('./inloop').InloopClient} [client] instead of the provider's
 * @returns {import('./react').InloopJobsView}
 */
export function useInloopJobs(client) {
	const current = useClient(client);
	const connection = useConnection(current);
	const jobs = useMemo(() => (current ? current.jobs().map((job) => view(job, current)) : []),
		// The version changes on every accepted snapshot.
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[current, connection.version]);
	return useMemo(() => ({ jobs, status: connection.status, connectionError: connection.connectionError }),
		[jobs, connection]);
}

function useClient(client) {
	const provided = useContext(ClientContext);
	return client || provided;
}

/** Re-renders on every change of the client; the result changes only then. */
function useConnection(client) {
	const store = client ? storeOf(client) : NO_STORE;
	const version = useSyncExternalStore(store.subscribe, store.version, store.version);
	return useMemo(() => ({
		status: client ? client.status : 'connecting',
		connectionError: store.error(),
		version,
	}), [client, store, version]);
}

function view(job, client) {
	if (!job) {
		return { id: undefined, job: undefined, state: undefined, progress: undefined, message: null, error: null, finished: false };
	}
	const done = (job.progress && job.progress.done) || 0;
	const total = (job.progress && job.progress.total) || 0;
	return {
		id: job.id,
		job,
		state: job.state,
		progress: { done, total, percent: total > 0 ? Math.min(100, Math.round(done * 100 / total)) : null },
		message: job.message == null ? null : job.message,
		error: job.error || null,
		finished: client.protocol.terminalStates.includes(job.state),
	};
}

const NO_STORE = Object.freeze({ subscribe: () => () => {}, version: () => 0, error: () => null });

/** @type {WeakMap<object, { subscribe: Function, version: () => number, error: () => unknown }>} */
const stores = new WeakMap();

/**
 * What the hooks watch of a client: a counter bumped on every job, status and error event, and
 * the last connection error (cleared once the stream is live again).
 */
function storeOf(client) {
	let store = stores.get(client);
	if (store) {
		return store;
	}
	const listeners = new Set();
	let version = 0;
	let error = null;
	const changed = () => {
		version++;
		for (const listener of [...listeners]) {
			listener();
		}
	};
	client.on('job', changed);
	client.on('status', changed);
	client.on('error', (next) => {
		error = next;
		changed();
	});
	client.on('live', () => {
		error = null;
		changed();
	});
	store = {
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		version: () => version,
		error: () => error,
	};
	stores.set(client, store);
	return store;
}

function useOwnClient(options) {
	const [client, setClient] = useState(null);
	const latest = useRef(options);
	latest.current = options;
	const url = options && options.url;
	const transport = options && options.transport;
	const storageKey = options && options.storageKey;
	const enabled = !!options;
	useEffect(() => {
		if (!enabled) {
			return undefined;
		}
		const given = latest.current;
		const created = connect(Object.assign({}, given, {
			getToken: typeof given.getToken === 'function' ? () => latest.current.getToken() : undefined,
		}));
		setClient(created);
		return () => {
			created.close();
			setClient((now) => (now === created ? null : now));
		};
	}, [enabled, url, transport, storageKey]);
	return client;
}
