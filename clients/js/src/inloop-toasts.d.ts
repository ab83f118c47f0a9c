// Types of the Inloop toasts: `@inloop/client/toasts`, or the notifier's `/inloop-toasts.js`.
// Guide: docs/browser-client.md#toasts.

import type { InloopClient, Job, JobEventInfo } from './inloop.js';

export interface ToastText {
	region: string; queued: string; queuedDetail: string; running: string;
	stillWorking: (elapsed: string) => string; stalled: string; stalledDetail: string;
	retrying: string; retryingAt: (time: string) => string; succeeded: string; failed: string;
	willRetry: string; willNotRetry: string; gaveUp: (attempts: number) => string; cancelled: string;
	cancel: string; cancelling: string; cancelFailed: (message: string) => string; dismiss: string;
	openResult: string; more: (count: number) => string; fewer: string; attempt: (attempt: number) => string;
}

export interface ToastOptions {
	/** Where the region goes; default document.body. */
	container?: HTMLElement;
	position?: 'bottom-right' | 'top-right' | 'bottom-left' | 'top-left';
	/** Toasts shown before the rest collapse into "+N more"; default 4. */
	maxVisible?: number;
	/** Default 6000; 0 keeps them. */
	succeededDismissMs?: number;
	/** Default 4000; 0 keeps them. */
	cancelledDismissMs?: number;
	/** Shows a cancel button while the job has not ended; e.g. POST /api/jobs/{id}/cancel. Reject to show why it failed. */
	onCancel?: (job: Job) => unknown | Promise<unknown>;
	/** The toast's title; default the job type and short id. */
	describe?: (job: Job) => string | null | undefined;
	/** The link of a succeeded job; default `result.url` when present. */
	resultLink?: (job: Job) => { href: string; label?: string } | null;
	/** Replace any text, e.g. to translate. */
	text?: Partial<ToastText>;
}

export declare class InloopToasts {
	constructor(client: InloopClient, options: ToastOptions);
	readonly element: HTMLElement;
	show(job: Job, info?: JobEventInfo): void;
	/** Renders a job's toast again, e.g. after what `describe` says of it changed. */
	refresh(id: string): void;
	dismiss(id: string): void;
	clear(): void;
	destroy(): void;
}

export declare function showToasts(client: InloopClient, options?: ToastOptions): InloopToasts;
export declare function formatDuration(ms: number): string;
export declare function formatTime(iso: string): string;

declare global {
	interface InloopGlobal {
		showToasts?: typeof showToasts;
		InloopToasts?: typeof InloopToasts;
		formatDuration?: typeof formatDuration;
		formatTime?: typeof formatTime;
	}
}
