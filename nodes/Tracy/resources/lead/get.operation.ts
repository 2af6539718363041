import { tracyOperation } from '../../engine/operation';
import { getSteps } from '../record/get.operation';

export { fields } from '../record/get.operation';

export const operation = tracyOperation(
	{
		name: 'Get',
		subtitle: 'Get Lead',
		value: 'get',
		action: 'Get a lead',
		description: 'Get one lead by its record ID',
	},
	getSteps,
);
