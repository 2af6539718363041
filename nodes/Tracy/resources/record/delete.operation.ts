import type { INodePropertyOptions } from 'n8n-workflow';

import { outputRecords, recordUrl } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';

export const operation: INodePropertyOptions = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a record',
	description: 'Move a record to the trash (Restore brings it back)',
	routing: itemRouting({
		request: { method: 'DELETE' },
		answer: 'record',
		preSend: recordUrl,
		postReceive: [outputRecords],
	}),
};
