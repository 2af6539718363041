import { tracyOperation } from '../../engine/operation';
import { recordPath } from '../../shared/steps';

export const operation = tracyOperation(
	{ name: 'Get', value: 'get', action: 'Get a record', description: 'Get one record by its ID' },
	{ request: { method: 'GET' }, answer: 'record', prepare: recordPath },
);
