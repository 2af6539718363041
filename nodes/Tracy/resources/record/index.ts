import type { INodeProperties } from 'n8n-workflow';

import { outputRecords } from '../../shared/hooks';
import { PATHS } from '../../transport/assumptions';
import { finalizeRequest, handleResponse } from '../../transport/request';
import * as archive from './archive.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';
import * as restore from './restore.operation';
import * as unarchive from './unarchive.operation';
import * as update from './update.operation';

/** Every record operation ends the same way: base URL checks and retries, then Tracy's answer as items. */
const answer = { postReceive: [handleResponse, outputRecords] };

export const recordOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['record'] } },
	default: 'create',
	options: [
		{
			name: 'Archive',
			value: 'archive',
			action: 'Archive a record',
			description: 'Archive a record (Unarchive brings it back)',
			routing: {
				request: { method: 'PUT', url: PATHS.records },
				send: { preSend: [archive.buildBody, finalizeRequest] },
				output: answer,
			},
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create a record',
			description: 'Create a record in a dataset, in its first state or a chosen one',
			routing: {
				request: { method: 'POST', url: PATHS.records },
				send: { preSend: [create.buildBody, finalizeRequest] },
				output: answer,
			},
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a record',
			description: 'Move a record to the trash (Restore brings it back)',
			routing: {
				request: { method: 'DELETE' },
				send: { preSend: [del.validate, finalizeRequest] },
				output: answer,
			},
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a record',
			description: 'Get one record by its ID',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [get.validate, finalizeRequest] },
				output: answer,
			},
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many records',
			description: 'List the records of a dataset, with filters and sort',
			routing: {
				request: { method: 'GET', url: PATHS.records },
				send: { paginate: true, preSend: [getMany.buildQuery, finalizeRequest] },
				operations: { pagination: getMany.paginate },
				output: { postReceive: [handleResponse] },
			},
		},
		{
			name: 'Move to State',
			value: 'move',
			action: 'Move a record to another state',
			description: "Change a record's state",
			routing: {
				request: { method: 'POST', url: PATHS.moves },
				send: { preSend: [move.buildBody, finalizeRequest] },
				output: answer,
			},
		},
		{
			name: 'Restore',
			value: 'restore',
			action: 'Restore a record from the trash',
			description: 'Bring a record back from the trash',
			routing: {
				request: { method: 'PUT', url: PATHS.records },
				send: { preSend: [restore.buildBody, finalizeRequest] },
				output: answer,
			},
		},
		{
			name: 'Unarchive',
			value: 'unarchive',
			action: 'Unarchive a record',
			description: 'Take a record out of the archive',
			routing: {
				request: { method: 'PUT', url: PATHS.records },
				send: { preSend: [unarchive.buildBody, finalizeRequest] },
				output: answer,
			},
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update a record',
			description: "Set a record's property values",
			routing: {
				request: { method: 'GET' },
				send: { preSend: [update.validate, finalizeRequest] },
				output: { postReceive: [handleResponse, update.writeDatums, outputRecords] },
			},
		},
	],
};

export const recordFields: INodeProperties[] = [
	...archive.description,
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
	...move.description,
	...restore.description,
	...unarchive.description,
	...update.description,
];
