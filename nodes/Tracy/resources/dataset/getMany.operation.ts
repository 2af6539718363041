import type {
	INodeProperties,
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { TracyDatasetSchema } from '../../contract/assumptions';
import {
	LIST_QUERY,
	MAX_PAGE_SIZE,
	MAX_PAGES_WITHOUT_TOTAL,
	PAGE_MARGIN,
	PATHS,
	parseListResponse,
} from '../../contract/assumptions';
import type { TracyItem } from '../../engine/item';
import { tracyOperation } from '../../engine/operation';
import { positiveLimit } from '../../shared/list';
import { failItem } from '../../shared/validation';
import { sendRouted } from '../../transport/request';
import { limitField, returnAllField } from '../../shared/fields';

/** A3 + A5: the datasets the key may see, page by page (the same paging rule as records, A14), as `{ id, name }`. */
async function listDatasets(
	item: TracyItem,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const limit = positiveLimit(item.ctx);
	const out: INodeExecutionData[] = [];
	const seen = new Set<number>();
	let maxPages = MAX_PAGES_WITHOUT_TOTAL;
	for (let page = 1; page <= maxPages; page++) {
		const options = {
			...request,
			qs: { [LIST_QUERY.page]: page, [LIST_QUERY.pageSize]: MAX_PAGE_SIZE },
		};
		const body = await sendRouted(item, options, 'datasetList');
		const { items, total } = parseListResponse(body) ?? { items: [] };
		let fresh = 0;
		for (const dataset of items as TracyDatasetSchema[]) {
			if (seen.has(dataset.id)) continue;
			seen.add(dataset.id);
			fresh++;
			out.push({
				json: { id: dataset.id, name: dataset.name ?? null } as IDataObject,
				pairedItem: { item: item.index },
			});
		}
		if (limit !== undefined && out.length >= limit) return out.slice(0, limit);
		if (total !== undefined ? seen.size >= total : items.length < MAX_PAGE_SIZE) return out;
		if (total !== undefined) maxPages = Math.ceil(total / Math.max(1, items.length)) + PAGE_MARGIN;
		if (!fresh) break;
	}
	failItem(
		item.ctx,
		'Get Many stopped: the dataset list did not end as its pages said',
		`${seen.size} datasets had been read; they are not output, because the list is not complete (A14 in the README).`,
	);
}

export const operation = tracyOperation(
	{
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many datasets',
		description: 'List the datasets this API key may see, with their IDs and names',
	},
	{
		request: { method: 'GET', url: PATHS.datasets },
		answer: 'datasetList',
		// Limit is checked before anything is sent
		prepare: (item) => positiveLimit(item.ctx),
		run: async (item, _plan, request) => await listDatasets(item, request),
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [returnAllField, limitField];
