import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { positiveLimit } from '../../shared/list';
import { itemRouting } from '../../shared/routing';
import type { TracyDatasetSchema } from '../../transport/assumptions';
import {
	LIST_QUERY,
	MAX_PAGE_SIZE,
	MAX_PAGES_WITHOUT_TOTAL,
	PAGE_MARGIN,
	PATHS,
	parseListResponse,
} from '../../transport/assumptions';
import { sendRouted } from '../../transport/runner';

/** Checks Limit before anything is sent. */
async function checkLimit(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	positiveLimit(this);
	return requestOptions;
}

/** A3 + A5: the datasets the key may see, page by page (the same paging rule as records, A14), as `{ id, name }`. */
async function listDatasets(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const limit = positiveLimit(this);
	const item = this.getItemIndex();
	const out: INodeExecutionData[] = [];
	const seen = new Set<number>();
	let maxPages = MAX_PAGES_WITHOUT_TOTAL;
	for (let page = 1; page <= maxPages; page++) {
		const options = {
			...requestData.options,
			qs: { [LIST_QUERY.page]: page, [LIST_QUERY.pageSize]: MAX_PAGE_SIZE },
		};
		const [response] = await sendRouted(this, { ...requestData, options });
		const { items, total } = parseListResponse(response?.json) ?? { items: [] };
		let fresh = 0;
		for (const dataset of items as TracyDatasetSchema[]) {
			if (seen.has(dataset.id)) continue;
			seen.add(dataset.id);
			fresh++;
			out.push({
				json: { id: dataset.id, name: dataset.name ?? null } as IDataObject,
				pairedItem: { item },
			});
		}
		if (limit !== undefined && out.length >= limit) return out.slice(0, limit);
		if (total !== undefined ? seen.size >= total : items.length < MAX_PAGE_SIZE) return out;
		if (total !== undefined) maxPages = Math.ceil(total / Math.max(1, items.length)) + PAGE_MARGIN;
		if (!fresh) break;
	}
	throw new NodeOperationError(
		this.getNode(),
		'Get Many stopped: the dataset list did not end as its pages said',
		{
			description: `${seen.size} datasets had been read; they are not output, because the list is not complete (A14 in the README).`,
			itemIndex: item,
		},
	);
}

export const operation: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many datasets',
	description: 'List the datasets this API key may see, with their IDs and names',
	routing: itemRouting({
		request: { method: 'GET', url: PATHS.datasets },
		answer: 'datasetList',
		preSend: checkLimit,
		strategy: listDatasets,
	}),
};
