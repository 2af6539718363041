import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ItemCaller } from '../transport/request';
import { batchIntervalMs, runKey } from './n8n';

/**
 * What the items of one run of the node share: the batch stop, the summary of a stopped batch,
 * and the leads and matches of the run. Found by a key made of the execution, the node and the
 * run index (all three from n8n's typed context). The run is over once every item n8n handed
 * over has settled and n8n hands over no more: at once, or, with Settings › Batching, after one
 * Batch Interval without a new item. Then it is dropped, so that a retry starts afresh.
 */
export class Run {
	/** Items whose writes Tracy accepted. */
	readonly written = new Set<number>();
	/** Items that failed, and items not sent because an earlier one failed. */
	readonly failed = new Set<number>();
	readonly notSent = new Set<number>();
	/** Without Continue On Fail: the lowest item that failed; no item after it sends what it has not sent yet. */
	failedAt?: number;
	/** Skip if Exists: the first item of the run per email, and its outcome. */
	readonly leads = new Map<
		string,
		Promise<{ item: number; json: IDataObject }> & { item: number }
	>();
	/** Items n8n has handed to the node, and those of them that have settled (succeeded or failed). */
	private entered = 0;
	private done = 0;
	private isOver = false;
	private waiting: Array<() => void> = [];

	constructor(
		private readonly key: string,
		/** n8n's Batching interval: how long n8n may pause between items of one run. */
		private readonly batchIntervalMs: number,
	) {}

	/** Items in the run (all of them, once it is over). */
	get size() {
		return this.entered;
	}

	enter() {
		this.entered += 1;
	}

	/** One item is done; when it is the last so far, the run may be over. */
	settle() {
		this.done += 1;
		if (this.done < this.entered) return;
		if (!this.batchIntervalMs) return this.end();
		const entered = this.entered;
		void sleep(this.batchIntervalMs + 100).then(() => {
			if (this.entered === entered && this.done === entered) this.end();
		});
	}

	private end() {
		if (this.isOver) return;
		this.isOver = true;
		if (runs.get(this.key) === this) runs.delete(this.key);
		for (const release of this.waiting.splice(0)) release();
	}

	/** Resolves once the run is over: the summary of a stopped batch counts every item. */
	async over(): Promise<void> {
		if (this.isOver) return;
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}
}

/*
 * Process-wide state: the runs of the node whose items are on their way, by run key (engine/n8n.ts).
 * Bound: a run is dropped when it is over; as a safety net at most MAX_RUNS are kept, oldest
 * dropped first.
 */
const runs = new Map<string, Run>();
const MAX_RUNS = 1000;

function runOf(ctx: IExecuteSingleFunctions, index: number): Run {
	const key = runKey(ctx, index);
	let run = runs.get(key);
	if (!run) {
		run = new Run(key, batchIntervalMs(ctx));
		if (runs.size >= MAX_RUNS) runs.delete(runs.keys().next().value as string);
		runs.set(key, run);
	}
	return run;
}

/**
 * One input item on its way through an operation: the n8n context it runs in, its run, and what
 * its steps tell each other and the transport. Made by the operation runner (engine/operation.ts)
 * and handed to every step and every request of the item. It is the batch gate: the transport asks
 * it before each attempt (`admit`) and tells it when a request failed for good (`failed`).
 */
export class TracyItem implements ItemCaller {
	readonly index: number;
	readonly run: Run;
	/** Maps a field path in Tracy's answer (`datums[1]`) to the name the user knows. */
	fieldLabels?: Record<string, string>;
	/** How a batch error names the item besides its number (a lead's email). */
	name?: string;
	/** Set when the item wrote nothing after all (an existing lead returned, nothing changed). */
	noWrite = false;
	/** Its first request was let through: a stopped batch still lets it finish its reads. */
	private started = false;
	/** Its first write was let through: from then on it finishes, so that it is not left half-written. */
	private wrote = false;

	constructor(readonly ctx: IExecuteSingleFunctions) {
		this.index = ctx.getItemIndex();
		this.run = runOf(ctx, this.index);
		this.run.enter();
	}

	/**
	 * Lets a request go, unless the batch has stopped (an earlier item failed without Continue On
	 * Fail) and the item has not sent anything yet, or this is its first write. Items before the
	 * one that failed go on, as they would have gone before it in a batch sent one item after the other.
	 */
	admit(write: boolean) {
		if (this.wrote || (this.started && !write)) return;
		const { failedAt } = this.run;
		if (failedAt !== undefined && this.index > failedAt && !this.ctx.continueOnFail()) {
			this.run.notSent.add(this.index);
			throw new NodeOperationError(
				this.ctx.getNode(),
				`Item ${this.index + 1} was not sent: item ${failedAt + 1} failed first`,
				{
					description:
						'Without Continue On Fail, the node sends no item after one has failed, so that an execution that stops has not written more than it shows. To send the other items anyway, set Settings → On Error to Continue.',
					itemIndex: this.index,
				},
			);
		}
		this.started = true;
		if (write) this.wrote = true;
	}

	/** Without Continue On Fail, an item that fails stops its batch: items that have sent nothing are not sent. */
	failed() {
		if (this.ctx.continueOnFail() || this.run.notSent.has(this.index)) return;
		this.run.failed.add(this.index);
		this.run.failedAt = Math.min(this.run.failedAt ?? this.index, this.index);
	}
}
