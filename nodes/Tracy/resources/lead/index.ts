import type { INodeProperties } from 'n8n-workflow';

import { outputRecords } from '../../shared/hooks';
import { PATHS } from '../../transport/assumptions';
import { finalizeRequest, handleResponse } from '../../transport/request';
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
			routing: {
				request: { method: 'POST', url: PATHS.records },
				send: {
					preSend: [create.buildBody, finalizeRequest],
					// only "Skip if Exists" looks anything up first
					paginate: '={{ $parameter.options?.skipIfExists === true }}',
				},
				operations: { pagination: create.createUnlessExists },
				output: { postReceive: [handleResponse, create.outputLead] },
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a lead',
			description: 'Get one lead by its record ID',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [get.validate, finalizeRequest] },
				output: { postReceive: [handleResponse, outputRecords] },
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many leads',
			description: 'List leads, by email, state or any property',
			routing: {
				request: { method: 'GET', url: PATHS.records },
				send: { paginate: true, preSend: [getMany.buildLeadQuery, finalizeRequest] },
				operations: { pagination: paginate },
				output: { postReceive: [handleResponse] },
			},
		},
		{
			name: 'Move to State',
			value: 'move',
			action: 'Qualify or move a lead',
			description: 'Move a lead to another state, for example Qualified',
			routing: {
				request: { method: 'POST', url: PATHS.moves },
				send: { preSend: [move.buildBody, finalizeRequest] },
				output: { postReceive: [handleResponse, outputRecords] },
			},
		},
	],
};

export const leadFields: INodeProperties[] = [
	...create.description,
	...get.description,
	...getMany.description,
	...move.description,
];
