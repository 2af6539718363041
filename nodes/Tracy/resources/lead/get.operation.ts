import { tracyOperation } from '../../engine/operation';
import { recordPath } from '../../shared/steps';

export const operation = tracyOperation(
	{
		name: 'Get',
		value: 'get',
		action: 'Get a lead',
		description: 'Get one lead by its record ID',
	},
	{ request: { method: 'GET' }, answer: 'record', prepare: recordPath },
);
