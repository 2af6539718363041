import type { INodeProperties } from 'n8n-workflow';

import { outputRecords } from '../../shared/hooks';
import { PATHS } from '../../transport/assumptions';
import { itemRouting } from '../../shared/routing';
import * as archive from './archive.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';
import * as restore from './restore.operation';
import * as unarchive from './unarchive.operation';
import * as update from './update.operation';

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
			routing: itemRouting({ request: { method: 'PUT', url: PATHS.records }, answer: 'record', preSend: archive.buildBody, postReceive: [outputRecords] }),
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create a record',
			description: 'Create a record in a dataset, in its first state or a chosen one',
			routing: itemRouting({ request: { method: 'POST', url: PATHS.records }, answer: 'record', preSend: create.buildBody, postReceive: [outputRecords] }),
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a record',
			description: 'Move a record to the trash (Restore brings it back)',
			routing: itemRouting({ request: { method: 'DELETE' }, answer: 'record', preSend: del.validate, postReceive: [outputRecords] }),
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a record',
			description: 'Get one record by its ID',
			routing: itemRouting({ request: { method: 'GET' }, answer: 'record', preSend: get.validate, postReceive: [outputRecords] }),
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many records',
			description: 'List the records of a dataset, with filters and sort',
			routing: itemRouting({ request: { method: 'GET', url: PATHS.records }, answer: 'recordList', preSend: getMany.buildQuery, strategy: getMany.paginate }),
		},
		{
			name: 'Move to State',
			value: 'move',
			action: 'Move a record to another state',
			description: "Change a record's state",
			routing: itemRouting({ request: { method: 'POST', url: PATHS.moves }, answer: 'record', preSend: move.buildBody, postReceive: [outputRecords] }),
		},
		{
			name: 'Restore',
			value: 'restore',
			action: 'Restore a record from the trash',
			description: 'Bring a record back from the trash',
			routing: itemRouting({ request: { method: 'PUT', url: PATHS.records }, answer: 'record', preSend: restore.buildBody, postReceive: [outputRecords] }),
		},
		{
			name: 'Unarchive',
			value: 'unarchive',
			action: 'Unarchive a record',
			description: 'Take a record out of the archive',
			routing: itemRouting({ request: { method: 'PUT', url: PATHS.records }, answer: 'record', preSend: unarchive.buildBody, postReceive: [outputRecords] }),
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update a record',
			description: "Set a record's property values",
			routing: itemRouting({ request: { method: 'GET' }, answer: 'record', writes: true, preSend: update.validate, postReceive: [update.writeDatums, outputRecords] }),
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
