import type { INodeProperties } from 'n8n-workflow';

import type { TracyDatasetSchema } from '../../contract/assumptions';
import { PATHS } from '../../contract/assumptions';
import { tracyOperation } from '../../engine/operation';
import { limitField, returnAllField } from '../../form/fields';
import type { ListOf } from '../../reading/list';
import { paginate, positiveLimit } from '../../reading/list';

/** A3 + A5: the datasets the key may see, as `{ id, name }`, paged by the one rule (A14). */
const DATASETS: ListOf<TracyDatasetSchema> = {
	kind: 'datasetList',
	what: 'datasets',
	json: (dataset) => ({ id: dataset.id, name: dataset.name ?? null }),
};

export const operation = tracyOperation(
	{
		name: 'Get Many',
		subtitle: 'Get Many Datasets',
		value: 'getAll',
		action: 'Get many datasets',
		description: 'List the datasets this API key may see, with their IDs and names',
	},
	{
		request: { method: 'GET', url: PATHS.datasets },
		answer: 'datasetList',
		// Limit is checked before anything is sent
		prepare: (item) => positiveLimit(item.ctx),
		run: async (item, _plan, request) => await paginate(item, request, DATASETS),
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [returnAllField, limitField];
