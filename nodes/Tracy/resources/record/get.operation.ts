import type { INodePropertyOptions } from 'n8n-workflow';

import { outputRecords, recordUrl } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';

export const operation: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get a record',
	description: 'Get one record by its ID',
	routing: itemRouting({
		request: { method: 'GET' },
		answer: 'record',
		preSend: recordUrl,
		postReceive: [outputRecords],
	}),
};
