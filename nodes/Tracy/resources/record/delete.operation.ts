import { tracyOperation } from '../../engine/operation';
import { recordPath } from '../../shared/steps';

export const operation = tracyOperation(
	{
		name: 'Delete',
		value: 'delete',
		action: 'Delete a record',
		description: 'Move a record to the trash (Restore brings it back)',
	},
	{ request: { method: 'DELETE' }, answer: 'record', prepare: recordPath },
);
