import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TracyRecord } from '../transport/assumptions';
import { INCLUDE_DATUMS, LIST_QUERY, MAX_PAGE_SIZE, parseListResponse } from '../transport/assumptions';
import { rememberRequest } from '../transport/request';
import { simplifyRecord } from './simplify';
import { getIdParameter, parseId } from './validation';

/** Get Many of records and of leads: the list query and the paging. */

function positiveLimit(ctx: IExecuteSingleFunctions): number | undefined {
	if (ctx.getNodeParameter('returnAll', false)) return undefined;
	const limit = ctx.getNodeParameter('limit', 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), `The field "Limit" must be a whole number of at least 1, not ${String(limit)}`, {
			description: 'Turn on "Return All" to get every record.',
			itemIndex: ctx.getItemIndex(),
		});
	}
	return limit as number;
}

/**
 * Builds the list query (A5) from the dataset, filters and sort. Extra filters (a lead's email)
 * come from `extraPropertyFilters`.
 */
export async function buildQuery(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
	extraPropertyFilters: Array<{ propertyId: number; value: string }> = [],
): Promise<IHttpRequestOptions> {
	positiveLimit(this);
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const filters = this.getNodeParameter('filters', {}) as IDataObject;
	const sort = this.getNodeParameter('sort', {}) as IDataObject;
	const qs: IDataObject = { [LIST_QUERY.dataset]: datasetId };
	const stateId = parseId(this, filters.state, 'Filters › State', { optional: true });
	if (stateId !== undefined) qs[LIST_QUERY.state] = stateId;
	const archived = (filters.archived as string | undefined) ?? 'notArchived';
	if (archived !== 'all') qs[LIST_QUERY.archived] = archived === 'archivedOnly' ? 'true' : 'false';
	if (filters.inTrash) qs[LIST_QUERY.removed] = 'true';
	const rows = ((filters.propertyValues as IDataObject | undefined)?.values ?? []) as IDataObject[];
	rows.forEach((row, i) => {
		const propertyId = parseId(this, row.property, `Filters › Property Values, row ${i + 1}: Property`) as number;
		const value = row.value;
		if (value === null || value === undefined || typeof value === 'object') {
			throw new NodeOperationError(this.getNode(), `Filters › Property Values, row ${i + 1}: Value must be text or a number`, {
				itemIndex: this.getItemIndex(),
			});
		}
		qs[LIST_QUERY.propertyFilter(propertyId)] = String(value);
	});
	for (const f of extraPropertyFilters) qs[LIST_QUERY.propertyFilter(f.propertyId)] = f.value;
	const sortBy = (sort.sortBy as string | undefined) ?? undefined;
	if (sortBy === 'property') {
		qs[LIST_QUERY.sort] = parseId(this, sort.sortProperty, 'Sort › Sort Property') as number;
	} else if (sortBy) {
		qs[LIST_QUERY.sort] = sortBy;
	}
	if (sort.order) qs[LIST_QUERY.order] = sort.order;
	if (this.getNodeParameter('includeDatums', true)) qs[LIST_QUERY.include] = INCLUDE_DATUMS;
	requestOptions.qs = { ...(requestOptions.qs ?? {}), ...qs };
	return requestOptions;
}

/**
 * Walks the pages (A5) with the fewest requests: the page size is the limit when it fits in one
 * page, and the walk stops at a short page, at the total, or as soon as the limit is reached.
 */
export async function paginate(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const limit = positiveLimit(this);
	const pageSize = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
	const simplify = Boolean(this.getNodeParameter('simplify', true));
	const item = this.getItemIndex();
	const out: INodeExecutionData[] = [];
	// postReceive hooks run on the item's own context, the prototype of this pagination context
	const itemContext = Object.getPrototypeOf(this) as object;
	for (let page = 1; ; page++) {
		const options = {
			...requestData.options,
			qs: { ...(requestData.options.qs ?? {}), [LIST_QUERY.page]: page, [LIST_QUERY.pageSize]: pageSize },
		};
		rememberRequest(itemContext, options as IHttpRequestOptions);
		const [response] = await this.makeRoutingRequest({ ...requestData, options });
		const { items, total } = parseListResponse(response?.json);
		for (const record of items) {
			if (limit !== undefined && out.length >= limit) break;
			out.push({
				json: simplify ? simplifyRecord(record as TracyRecord) : (record as IDataObject),
				pairedItem: { item },
			});
		}
		const seen = (page - 1) * pageSize + items.length;
		if (limit !== undefined && out.length >= limit) break;
		if (items.length < pageSize) break;
		if (total !== undefined && seen >= total) break;
	}
	return out;
}
