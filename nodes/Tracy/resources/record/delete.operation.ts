import type { INodeProperties } from 'n8n-workflow';
import { tracyOperation } from '../../engine/operation';
import { recordOutput, recordPath } from '../../reading/steps';
import { recordIdField, simplifyField } from '../../form/fields';

export const operation = tracyOperation(
	{
		name: 'Delete',
		subtitle: 'Delete Record',
		value: 'delete',
		action: 'Delete a record',
		description: 'Move a record to the trash (Restore brings it back)',
	},
	{ request: { method: 'DELETE' }, answer: 'record', prepare: recordPath, output: recordOutput },
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [recordIdField, simplifyField];
