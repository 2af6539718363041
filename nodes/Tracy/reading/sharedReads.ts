import type { IExecuteSingleFunctions } from 'n8n-workflow';

/**
 * A read the items of one execution and node share (a dataset's schema, the workspace's users):
 * made once, kept at most `maxAgeMs`; a failed read is not kept, so that the next item asks again.
 */
export class SharedReads<T> {
	private readonly entries = new Map<string, { at: number; pending: Promise<T> }>();

	constructor(
		private readonly maxAgeMs = Infinity,
		private readonly limit = 50,
	) {}

	async get(ctx: IExecuteSingleFunctions, key: string, read: () => Promise<T>): Promise<T> {
		const full = `${ctx.getExecutionId()}:${ctx.getNode().id}:${key}`;
		const now = Date.now();
		let entry = this.entries.get(full);
		if (!entry || now - entry.at > this.maxAgeMs) {
			if (this.entries.size >= this.limit)
				this.entries.delete(this.entries.keys().next().value as string);
			entry = { at: now, pending: read() };
			this.entries.set(full, entry);
			entry.pending.catch(() => this.entries.delete(full));
		}
		return await entry.pending;
	}
}
