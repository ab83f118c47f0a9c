// Types of the Inloop React hooks: `@inloop/client/react`. Guide: docs/browser-client.md#react.

import type { ReactNode, ReactElement } from 'react';
import type { ClientError, ConnectOptions, ConnectionStatus, InloopClient, Job, JobState } from './inloop.js';

export interface InloopProviderProps {
	/** A client the app made with `connect()` (and closes itself). */
	client?: InloopClient;
	/** Or: connect on mount with these, close on unmount; reconnects when url, transport or storageKey change. */
	options?: ConnectOptions;
	children?: ReactNode;
}

/** Gives useInloopJob and useInloopJobs their client. */
export declare function InloopProvider(props: InloopProviderProps): ReactElement;

/** The provider's client, or null before it connected (or without a provider). */
export declare function useInloopClient(): InloopClient | null;

/** One job as the hooks show it. Without a snapshot yet (unknown id), everything is empty. */
export interface InloopJob {
	id: string | undefined;
	/** The latest accepted snapshot. */
	job: Job | undefined;
	state: JobState | undefined;
	/** `percent` is null while `total` is 0 (indeterminate). */
	progress: { done: number; total: number; percent: number | null } | undefined;
	/** What the handler says it is doing, or null. */
	message: string | null;
	/** Why the job failed (FAILED, RETRYING), or null. */
	error: { code: string; message: string; retryable: boolean } | null;
	/** SUCCEEDED, FAILED or CANCELLED: no snapshot follows. */
	finished: boolean;
}

export interface InloopConnection {
	/** The connection's status; 'connecting' until the provider has a client. */
	status: ConnectionStatus;
	/** The last error the client reported (token, closed, fallback, frame); null again once live. */
	connectionError: ClientError | null;
}

export type InloopJobView = InloopJob & InloopConnection;

export interface InloopJobsView extends InloopConnection {
	/** Every job the client knows, newest submission first. */
	jobs: InloopJob[];
}

/** One job, live: re-renders on each of its snapshots and on connection changes. */
export declare function useInloopJob(id: string | null | undefined, client?: InloopClient): InloopJobView;

/** Every job of the user, live. */
export declare function useInloopJobs(client?: InloopClient): InloopJobsView;
