import type { INodeProperties } from 'n8n-workflow';

import { outputRecords } from '../../shared/hooks';
import { finalizeRequest, handleResponse } from '../../transport/request';
import * as get from './get.operation';

export const recordOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['record'] } },
	default: 'get',
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a record',
			description: 'Get one record by its ID',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [get.validate, finalizeRequest] },
				output: { postReceive: [handleResponse, outputRecords] },
			},
		},
	],
};

export const recordFields: INodeProperties[] = [...get.description];
