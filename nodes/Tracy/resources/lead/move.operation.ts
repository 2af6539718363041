import type { INodePropertyOptions } from 'n8n-workflow';

import { moveBody, outputRecords } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { PATHS } from '../../transport/assumptions';

export const operation: INodePropertyOptions = {
	name: 'Move to State',
	value: 'move',
	action: 'Qualify or move a lead',
	description: 'Move a lead to another state, for example Qualified',
	routing: itemRouting({
		request: { method: 'POST', url: PATHS.moves },
		answer: 'record',
		preSend: moveBody,
		postReceive: [outputRecords],
	}),
};
