import { tracyResource } from '../../form/compose';
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

/** Records of any dataset: one line per operation, in the order of the Operation list. */
export const record = tracyResource(
	{ name: 'Record', value: 'record', description: 'A row of any Tracy dataset' },
	'create',
	[archive, create, upsert, del, get, getMany, move, restore, unarchive, update],
);
