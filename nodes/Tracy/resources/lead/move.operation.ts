import { PATHS } from '../../contract/assumptions';
import { tracyOperation } from '../../engine/operation';
import { moveBody } from '../../shared/steps';

export const operation = tracyOperation(
	{
		name: 'Move to State',
		value: 'move',
		action: 'Qualify or move a lead',
		description: 'Move a lead to another state, for example Qualified',
	},
	{ request: { method: 'POST', url: PATHS.moves }, answer: 'record', prepare: moveBody },
);
