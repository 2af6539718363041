/**
 * The bound on requests in flight to one Tracy, per n8n process and base URL, so that it is
 * shared by every execution the process runs. n8n's declarative engine starts the request of
 * every item at once; this is what spaces them.
 *
 * Adaptive, additive increase and multiplicative decrease: a 429 halves the bound (at most once
 * a second) and holds back new requests until its Retry-After has passed; each success raises the
 * bound by 1/bound, that is by one after a full round of successes, up to Max Requests in Flight.
 * A slot is held for one HTTP attempt: never while a retry waits. Executions take turns: a web-form
 * lead that arrives during an import of 10,000 rows waits for one slot, not for the import.
 */

import { sleep } from 'n8n-workflow';

/** Max Requests in Flight when the option is not set (see BENCHMARKS.md, case 6). */
export const DEFAULT_MAX_IN_FLIGHT = 10;

/** Outcome of one attempt, for the bound: success raises it, a 429 lowers it, anything else leaves it. */
export type AttemptOutcome = 'ok' | 'rateLimited' | 'other';

interface Waiter {
	max: number;
	grant: () => void;
}

interface Lane {
	/** The adaptive bound; the slots open are its whole part, at least one. */
	limit: number;
	inFlight: number;
	/** Waiting requests by execution, first come first served within one; executions in turn. */
	queues: Map<string, Waiter[]>;
	/** No new request before this time (ms): a 429's Retry-After, as bounded by the user. */
	pausedUntil: number;
	lastDecrease: number;
	/** Set while a wake-up for the end of the pause is pending. */
	waking?: boolean;
}

const lanes = new Map<string, Lane>();

function lane(baseUrl: string, max: number): Lane {
	let found = lanes.get(baseUrl);
	if (!found) {
		found = { limit: max, inFlight: 0, queues: new Map(), pausedUntil: 0, lastDecrease: 0 };
		lanes.set(baseUrl, found);
	}
	return found;
}

function pump(l: Lane) {
	const now = Date.now();
	if (l.pausedUntil > now) {
		if (!l.waking) {
			l.waking = true;
			void sleep(l.pausedUntil - now).then(() => {
				l.waking = false;
				pump(l);
			});
		}
		return;
	}
	// within an execution first come, first served: its items acquire in their order, so a stopped
	// batch stops at its end; the execution served goes to the back of the line
	for (;;) {
		const [party, queue] = l.queues.entries().next().value ?? [];
		if (!party || !queue) return;
		if (l.inFlight >= Math.max(1, Math.min(Math.floor(l.limit), queue[0].max))) return;
		l.inFlight++;
		const waiter = queue.shift()!;
		l.queues.delete(party);
		if (queue.length) l.queues.set(party, queue);
		waiter.grant();
	}
}

/** A slot for one HTTP attempt; `release` must be called once, with how the attempt went. */
export interface Slot {
	release(outcome: AttemptOutcome, pauseMs?: number): void;
}

/** Waits for a slot of `baseUrl`'s bound; `party` (the execution) takes its turn with the others. */
export async function acquireSlot(baseUrl: string, max: number, party = ''): Promise<Slot> {
	const bound = Math.max(1, Math.floor(max));
	const l = lane(baseUrl, bound);
	await new Promise<void>((grant) => {
		const queue = l.queues.get(party);
		if (queue) queue.push({ max: bound, grant });
		else l.queues.set(party, [{ max: bound, grant }]);
		pump(l);
	});
	let released = false;
	return {
		release(outcome, pauseMs = 0) {
			if (released) return;
			released = true;
			l.inFlight--;
			const now = Date.now();
			if (outcome === 'ok') {
				l.limit = Math.min(bound, l.limit + 1 / Math.max(1, l.limit));
			} else if (outcome === 'rateLimited') {
				if (now - l.lastDecrease >= 1000) {
					l.limit = Math.max(1, l.limit / 2);
					l.lastDecrease = now;
				}
				l.pausedUntil = Math.max(l.pausedUntil, now + pauseMs);
			}
			pump(l);
		},
	};
}

/** The bound for a base URL now (for tests and benchmarks). */
export function currentBound(baseUrl: string): number | undefined {
	const l = lanes.get(baseUrl);
	return l ? Math.max(1, Math.floor(l.limit)) : undefined;
}
