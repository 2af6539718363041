import type { INodeProperties } from 'n8n-workflow';

import { outputRecords } from '../../shared/hooks';
import { PATHS } from '../../transport/assumptions';
import { itemRouting } from '../../shared/routing';
import { paginate } from '../record/getMany.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';

export const leadOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['lead'] } },
	default: 'create',
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a lead',
			description: 'Create a lead from form fields, with one request and no reads',
			routing: itemRouting({
				request: { method: 'POST', url: PATHS.records },
				answer: 'record',
				preSend: create.buildBody,
				postReceive: [create.outputLead],
				// only "Skip if Exists" looks anything up first
				strategy: create.createUnlessExists,
			}),
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a lead',
			description: 'Get one lead by its record ID',
			routing: itemRouting({ request: { method: 'GET' }, answer: 'record', preSend: get.validate, postReceive: [outputRecords] }),
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many leads',
			description: 'List leads, by email, state or any property',
			routing: itemRouting({ request: { method: 'GET', url: PATHS.records }, answer: 'recordList', preSend: getMany.buildLeadQuery, strategy: paginate }),
		},
		{
			name: 'Move to State',
			value: 'move',
			action: 'Qualify or move a lead',
			description: 'Move a lead to another state, for example Qualified',
			routing: itemRouting({ request: { method: 'POST', url: PATHS.moves }, answer: 'record', preSend: move.buildBody, postReceive: [outputRecords] }),
		},
	],
};

export const leadFields: INodeProperties[] = [
	...create.description,
	...get.description,
	...getMany.description,
	...move.description,
];
