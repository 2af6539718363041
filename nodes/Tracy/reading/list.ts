import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { TracyRecord } from '../contract/assumptions';
import {
	INCLUDE_DATUMS,
	LIST_QUERY,
	MAX_PAGE_SIZE,
	parseListResponse,
} from '../contract/assumptions';
import type { TracyItem } from '../engine/item';
import { sendRouted } from '../transport/request';
import type { PagingError } from './paging';
import { PageWalk } from './paging';
import { recordJson, wantsSimplify } from '../data/simplify';
import { failItem, getIdParameter, parseId } from '../data/validation';

/** Get Many of records and of leads: the list query and the paging. */

export function positiveLimit(ctx: IExecuteSingleFunctions): number | undefined {
	if (ctx.getNodeParameter('returnAll', false)) return undefined;
	const limit = ctx.getNodeParameter('limit', 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		failItem(
			ctx,
			`The field "Limit" must be a whole number of at least 1, not ${String(limit)}`,
			'Turn on "Return All" to get every record.',
		);
	}
	return limit as number;
}

/**
 * Builds the list query (A5) from the dataset, filters and sort. Extra filters (a lead's email)
 * come from `extraPropertyFilters`.
 */
export function buildQuery(
	ctx: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
	extraPropertyFilters: Array<{ propertyId: number; value: string }> = [],
): void {
	positiveLimit(ctx);
	const datasetId = getIdParameter(ctx, 'dataset', 'Dataset') as number;
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const sort = ctx.getNodeParameter('sort', {}) as IDataObject;
	const qs: IDataObject = { [LIST_QUERY.dataset]: datasetId };
	const stateId = parseId(ctx, filters.state, 'Filters › State', { optional: true });
	if (stateId !== undefined) qs[LIST_QUERY.state] = stateId;
	const archived = (filters.archived as string | undefined) ?? 'notArchived';
	if (archived !== 'all') qs[LIST_QUERY.archived] = archived === 'archivedOnly' ? 'true' : 'false';
	if (filters.inTrash) qs[LIST_QUERY.removed] = 'true';
	const rows = ((filters.propertyValues as IDataObject | undefined)?.values ?? []) as IDataObject[];
	rows.forEach((row, i) => {
		const propertyId = parseId(
			ctx,
			row.property,
			`Filters › Property Values, row ${i + 1}: Property`,
		) as number;
		const value = row.value;
		if (value === null || value === undefined || typeof value === 'object') {
			failItem(ctx, `Filters › Property Values, row ${i + 1}: Value must be text or a number`);
		}
		qs[LIST_QUERY.propertyFilter(propertyId)] = String(value);
	});
	for (const f of extraPropertyFilters) qs[LIST_QUERY.propertyFilter(f.propertyId)] = f.value;
	const sortBy = (sort.sortBy as string | undefined) ?? undefined;
	if (sortBy === 'property') {
		qs[LIST_QUERY.sort] = parseId(ctx, sort.sortProperty, 'Sort › Sort Property') as number;
	} else if (sortBy) {
		qs[LIST_QUERY.sort] = sortBy;
	}
	if (sort.order) qs[LIST_QUERY.order] = sort.order;
	if (ctx.getNodeParameter('includeDatums', true)) qs[LIST_QUERY.include] = INCLUDE_DATUMS;
	requestOptions.qs = { ...(requestOptions.qs ?? {}), ...qs };
}

/** What a Get Many walks: the answer's kind, what its entries are called, and each entry's output. */
export interface ListOf<T> {
	kind: 'recordList' | 'datasetList';
	what: string;
	json: (entry: T, ctx: IExecuteSingleFunctions) => IDataObject;
}

/** Records, simplified when asked. */
export const RECORDS: ListOf<TracyRecord> = {
	kind: 'recordList',
	what: 'records',
	json: (record, ctx) => recordJson(record, wantsSimplify(ctx)),
};

/** Get Many stopped before the end of the list: the item fails saying why, rather than pass off part of the list as all of it. */
function stoppedEarly(
	ctx: IExecuteSingleFunctions,
	what: string,
	reason: string,
	read: number,
): never {
	failItem(
		ctx,
		`Get Many stopped: ${reason}`,
		`${read} distinct ${what} had been read; they are not output, because the list is not complete. This breaks assumption A14 (paging) in the README. Narrow the list with filters or use Limit, or read it with n8n's HTTP Request node and the same credential.`,
	);
}

/**
 * Walks the pages (A5, A14) with the fewest requests: the page size is the limit when it fits in
 * one page. Each page is a read through the transport's retry loop. The walk stops at the limit,
 * at the total, or at a short page; entries are output once each, by ID. A walk that cannot end
 * by itself (a page with nothing new, more pages than the total implies) fails the item.
 */
export async function paginate<T extends { id: number }>(
	item: TracyItem,
	request: IHttpRequestOptions,
	list: ListOf<T>,
): Promise<INodeExecutionData[]> {
	const ctx = item.ctx;
	const limit = positiveLimit(ctx);
	const pageSize = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
	const out: INodeExecutionData[] = [];
	const walk = new PageWalk(pageSize);
	// the walk throws only PagingError: the list could not be read to its end (A14)
	const paged = <R>(step: () => R): R => {
		try {
			return step();
		} catch (error) {
			stoppedEarly(ctx, list.what, (error as PagingError).message, walk.seen.size);
		}
	};
	for (;;) {
		const page = paged(() => walk.next());
		const options = {
			...request,
			qs: {
				...(request.qs ?? {}),
				[LIST_QUERY.page]: page,
				[LIST_QUERY.pageSize]: pageSize,
			},
		};
		// the answer's shape is checked by the transport
		const body = await sendRouted(item, options, list.kind);
		const { items, total } = parseListResponse(body) ?? { items: [] };
		const entries = items as T[];
		const { fresh, done } = paged(() =>
			walk.take(
				entries.map((e) => e.id),
				total,
			),
		);
		const isFresh = new Set(fresh);
		for (const entry of entries) {
			if (limit !== undefined && out.length >= limit) break;
			if (!isFresh.delete(entry.id)) continue;
			out.push({ json: list.json(entry, ctx), pairedItem: { item: item.index } });
		}
		if (done || (limit !== undefined && out.length >= limit)) break;
	}
	return out;
}
