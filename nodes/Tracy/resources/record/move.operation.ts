import { PATHS } from '../../contract/assumptions';
import { tracyOperation } from '../../engine/operation';
import { moveBody } from '../../shared/steps';

export const operation = tracyOperation(
	{
		name: 'Move to State',
		value: 'move',
		action: 'Move a record to another state',
		description: "Change a record's state",
	},
	{ request: { method: 'POST', url: PATHS.moves }, answer: 'record', prepare: moveBody },
);
