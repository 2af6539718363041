import { tracyResource } from '../../form/compose';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

/** The shape of a dataset: one line per operation, in the order of the Operation list. */
export const dataset = tracyResource(
	{
		name: 'Dataset',
		value: 'dataset',
		description: 'A Tracy table: its properties (columns) and states',
	},
	'getAll',
	[get, getMany],
);
