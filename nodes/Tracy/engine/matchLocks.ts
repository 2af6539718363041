/**
 * One record per person in one n8n process: Create or Update and Skip if Exists of every execution
 * with the same dataset and match values run one after the other, so that the second finds what
 * the first created. Executions with other values do not wait. Across processes (queue mode) the
 * check for a twin after a create takes over (engine/twins.ts).
 *
 * Process-wide state: one entry per key while an item holds or waits for it, removed when the last
 * one is done; so at most as many entries as items in flight in the process.
 */
import { compareKey } from '../data/text';

const tails = new Map<string, Promise<void>>();

/** The lock's key: the dataset and each match column with its value as Tracy compares it (trimmed, letter case aside, A17). */
export function matchKey(
	datasetId: number,
	match: Array<{ column: string; value: unknown }>,
): string {
	const parts = match
		.map((m) => `${m.column}=${compareKey(m.value)}`)
		.sort()
		.join('&');
	return `${datasetId}:${parts}`;
}

/** Runs `work` once every earlier holder of `key` in this process is done (whether it failed or not). */
export async function withMatchLock<T>(key: string, work: () => Promise<T>): Promise<T> {
	const before = tails.get(key);
	let release!: () => void;
	const mine = new Promise<void>((resolve) => (release = resolve));
	const tail = before ? before.then(async () => await mine) : mine;
	tails.set(key, tail);
	try {
		if (before) await before;
		return await work();
	} finally {
		release();
		if (tails.get(key) === tail) tails.delete(key);
	}
}

/** Keys held or waited for now (the bound on this state, for tests). */
export function heldMatchKeys(): number {
	return tails.size;
}
