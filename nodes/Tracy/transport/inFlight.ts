/**
 * The bound on requests to one Tracy, per n8n process and base URL, so that it is shared by every
 * execution the process runs. n8n's declarative engine starts the request of every item at once;
 * this is what spaces them. Two limits, both adaptive (additive increase, multiplicative decrease):
 * - requests in flight: a 429 halves it (at most once a second); each success raises it by
 *   1/bound, that is by one after a full round of successes, up to Max Requests in Flight;
 * - requests a second, learnt from the first 429: 90% of what Tracy took in the second before it,
 *   raised by 1/rate with each success, and learnt again at the next 429. Against a fast Tracy, a
 *   bound on requests in flight alone does not keep under a rate limit.
 * A 429 also holds back new requests until its Retry-After has passed (as bounded by Max Retry
 * Wait). A slot is held for one HTTP attempt: never while a retry waits. Executions take turns: a
 * web-form lead that arrives during an import of 10,000 rows waits for one slot, not for the import.
 */
import { sleep } from 'n8n-workflow';

/** Max Requests in Flight when the option is not set (see BENCHMARKS.md, case 6). */
export const DEFAULT_MAX_IN_FLIGHT = 16;

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
	/** Requests a second, once a 429 has been seen; none before. */
	rate?: number;
	/** When the requests of the last second were let through (ms), oldest first. */
	recent: number[];
	/** When the successes of the last second came back (ms), oldest first: what Tracy took. */
	succeeded: number[];
	/** Set while a wake-up for the end of a pause is pending. */
	waking?: boolean;
}

/*
 * Process-wide state: one lane per base URL this process has sent to, with its bound and its waiting
 * requests. Bound: a lane is kept for the life of the process (what it learnt of Tracy's rate
 * lasts), so there are as many lanes as distinct base URLs; a lane's queues hold only requests
 * waiting for a slot.
 */
const lanes = new Map<string, Lane>();

function lane(baseUrl: string, max: number): Lane {
	let found = lanes.get(baseUrl);
	if (!found) {
		found = {
			limit: max,
			inFlight: 0,
			queues: new Map(),
			pausedUntil: 0,
			lastDecrease: 0,
			recent: [],
			succeeded: [],
		};
		lanes.set(baseUrl, found);
	}
	return found;
}

const WINDOW_MS = 1000;
const MIN_SUCCESSES_FOR_RATE = 5;

function forget(l: Lane, now: number) {
	for (const times of [l.recent, l.succeeded]) {
		let old = 0;
		while (old < times.length && times[old] <= now - WINDOW_MS) old++;
		if (old) times.splice(0, old);
	}
}

/** Wakes the lane at `at` (the end of a pause, or when a second-old request leaves the window). */
function wakeAt(l: Lane, at: number, now: number) {
	if (l.waking) return;
	l.waking = true;
	void sleep(Math.max(1, at - now)).then(() => {
		l.waking = false;
		pump(l);
	});
}

function pump(l: Lane) {
	// within an execution first come, first served: its items acquire in their order, so a stopped
	// batch stops at its end; the execution served goes to the back of the line
	for (;;) {
		const now = Date.now();
		if (l.pausedUntil > now) return wakeAt(l, l.pausedUntil, now);
		const [party, queue] = l.queues.entries().next().value ?? [];
		if (party === undefined || !queue) return;
		if (l.inFlight >= Math.max(1, Math.min(Math.floor(l.limit), queue[0].max))) return;
		forget(l, now);
		if (l.rate !== undefined && l.recent.length >= l.rate)
			return wakeAt(l, l.recent[0] + WINDOW_MS, now);
		l.inFlight++;
		l.recent.push(now);
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

/**
 * Waits for a slot of `baseUrl`'s bound; `party` (the execution) takes its turn with the others. A
 * retry goes first in its execution's line: it was sent once already, the items behind it were not.
 */
export async function acquireSlot(
	baseUrl: string,
	max: number,
	party = '',
	retry = false,
): Promise<Slot> {
	const bound = Math.max(1, Math.floor(max));
	const l = lane(baseUrl, bound);
	await new Promise<void>((grant) => {
		const waiter = { max: bound, grant };
		const queue = l.queues.get(party);
		if (!queue) l.queues.set(party, [waiter]);
		else if (retry) queue.unshift(waiter);
		else queue.push(waiter);
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
				if (l.rate !== undefined) l.rate += 1 / l.rate;
				l.succeeded.push(now);
			} else if (outcome === 'rateLimited') {
				if (now - l.lastDecrease >= WINDOW_MS) {
					l.limit = Math.max(1, l.limit / 2);
					forget(l, now);
					// too few successes say nothing about a rate (a burst refused at once): the pause and the halved bound do
					if (l.succeeded.length >= MIN_SUCCESSES_FOR_RATE)
						l.rate = Math.floor(l.succeeded.length * 0.9);
					l.lastDecrease = now;
				}
				l.pausedUntil = Math.max(l.pausedUntil, now + pauseMs);
			}
			pump(l);
		},
	};
}
