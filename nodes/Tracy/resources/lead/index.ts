import { tracyResource } from '../../form/compose';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';
import * as upsert from './upsert.operation';

/** Records of the dataset the workspace uses for leads: one line per operation, in the order of the Operation list. */
export const lead = tracyResource(
	{
		name: 'Lead',
		value: 'lead',
		description: 'A record in the dataset your workspace uses for leads',
	},
	'create',
	[create, upsert, get, getMany, move],
);
