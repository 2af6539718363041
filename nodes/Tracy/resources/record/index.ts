import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';
import * as restore from './restore.operation';
import * as unarchive from './unarchive.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const recordOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['record'] } },
	default: 'create',
	options: [
		archive.operation,
		create.operation,
		upsert.operation,
		del.operation,
		get.operation,
		getMany.operation,
		move.operation,
		restore.operation,
		unarchive.operation,
		update.operation,
	],
};
