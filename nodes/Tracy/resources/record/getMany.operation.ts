import type { INodePropertyOptions } from 'n8n-workflow';

import { buildQuery, paginate } from '../../shared/list';
import { itemRouting } from '../../shared/routing';
import { PATHS } from '../../transport/assumptions';

export const operation: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many records',
	description: 'List the records of a dataset, with filters and sort',
	routing: itemRouting({
		request: { method: 'GET', url: PATHS.records },
		answer: 'recordList',
		preSend: buildQuery,
		strategy: paginate,
	}),
};
