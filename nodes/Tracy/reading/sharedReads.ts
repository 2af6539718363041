import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TracyDatasetSchema, TracyUser } from '../contract/assumptions';
import { LIST_QUERY, MAX_PAGE_SIZE, PATHS } from '../contract/assumptions';
import type { TracyItem } from '../engine/item';
import { asNodeError, readList, tracyRequest } from '../transport/request';
import { PagingError, readAllPages } from './paging';

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

/*
 * Process-wide state: the reads the items of one execution and node share, one cache per kind of
 * read. Bound: each keeps at most 50 entries (linked titles: 1,000), oldest dropped first, and a
 * failed read none.
 */

// long enough for one execution's items, short enough that a schema change shows up on the next run
const schemas = new SharedReads<TracyDatasetSchema>(30_000);

/** One dataset read per execution and node, shared by all items that need it. */
export async function datasetSchema(
	item: TracyItem,
	datasetId: number,
): Promise<TracyDatasetSchema> {
	return await schemas.get(
		item.ctx,
		String(datasetId),
		async () =>
			await tracyRequest<TracyDatasetSchema>(
				item,
				{ method: 'GET', url: PATHS.dataset(datasetId) },
				'dataset',
			),
	);
}

const userReads = new SharedReads<TracyUser[]>();

/** A30: the workspace's users, read once per execution and node (a few pages at most). */
export async function workspaceUsers(item: TracyItem): Promise<TracyUser[]> {
	const ctx = item.ctx;
	return await userReads.get(ctx, 'users', async () => {
		try {
			return await readAllPages(
				MAX_PAGE_SIZE,
				async (page) =>
					await readList<TracyUser>(
						item,
						PATHS.users,
						{ [LIST_QUERY.page]: page, [LIST_QUERY.pageSize]: MAX_PAGE_SIZE },
						'userList',
					),
			);
		} catch (error) {
			if (!(error instanceof PagingError)) throw asNodeError(ctx, error);
			throw new NodeOperationError(
				ctx.getNode(),
				`The workspace's users could not be read to their end: ${error.message} (assumption A14, see the README)`,
				{
					description: 'Give the user column an ID instead of an email.',
					itemIndex: ctx.getItemIndex(),
				},
			);
		}
	});
}

// one entry per linked title in an execution: a batch naming 50 companies looks each up once
const lookUps = new SharedReads<number[]>(Infinity, 1000);

/** A32: the IDs of the records a linked title names, looked up once per execution, node and `key`. */
export async function titleLookUp(
	item: TracyItem,
	key: string,
	read: () => Promise<number[]>,
): Promise<number[]> {
	return await lookUps.get(item.ctx, key, read);
}
