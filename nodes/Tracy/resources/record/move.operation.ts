import type { INodeProperties } from 'n8n-workflow';
import { PATHS } from '../../contract/assumptions';
import { tracyOperation } from '../../engine/operation';
import { moveBody } from '../../shared/steps';
import { datasetField, moveStateField, recordIdField, simplifyField } from '../../shared/fields';

export const operation = tracyOperation(
	{
		name: 'Move to State',
		value: 'move',
		action: 'Move a record to another state',
		description: "Change a record's state",
	},
	{ request: { method: 'POST', url: PATHS.moves }, answer: 'record', prepare: moveBody },
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [
	recordIdField,
	datasetField,
	moveStateField,
	simplifyField,
];
