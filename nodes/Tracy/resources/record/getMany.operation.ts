import type { INodeProperties } from 'n8n-workflow';
import { PATHS } from '../../contract/assumptions';
import { tracyOperation } from '../../engine/operation';
import { buildQuery, paginate, RECORDS } from '../../reading/list';
import { datasetField, listFields } from '../../form/fields';

export const operation = tracyOperation(
	{
		name: 'Get Many',
		subtitle: 'Get Many Records',
		value: 'getAll',
		action: 'Get many records',
		description: 'List the records of a dataset, with filters and sort',
	},
	{
		request: { method: 'GET', url: PATHS.records },
		answer: 'recordList',
		prepare: (item, request) => buildQuery(item.ctx, request),
		run: async (item, _plan, request) => await paginate(item, request, RECORDS),
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [datasetField, ...listFields];
