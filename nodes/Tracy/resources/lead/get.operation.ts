import type { INodePropertyOptions } from 'n8n-workflow';

import { outputRecords, recordUrl } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';

export const operation: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get a lead',
	description: 'Get one lead by its record ID',
	routing: itemRouting({
		request: { method: 'GET' },
		answer: 'record',
		preSend: recordUrl,
		postReceive: [outputRecords],
	}),
};
