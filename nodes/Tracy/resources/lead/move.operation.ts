import { tracyOperation } from '../../engine/operation';
import { moveSteps } from '../record/move.operation';

export { fields } from '../record/move.operation';

export const operation = tracyOperation(
	{
		name: 'Move to State',
		subtitle: 'Move Lead to State',
		value: 'move',
		action: 'Qualify or move a lead',
		description: 'Move a lead to another state, for example Qualified',
	},
	moveSteps,
);
