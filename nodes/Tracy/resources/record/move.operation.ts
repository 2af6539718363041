import type { INodePropertyOptions } from 'n8n-workflow';

import { moveBody, outputRecords } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { PATHS } from '../../transport/assumptions';

export const operation: INodePropertyOptions = {
	name: 'Move to State',
	value: 'move',
	action: 'Move a record to another state',
	description: "Change a record's state",
	routing: itemRouting({
		request: { method: 'POST', url: PATHS.moves },
		answer: 'record',
		preSend: moveBody,
		postReceive: [outputRecords],
	}),
};
