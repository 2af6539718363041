import type { INodeProperties } from 'n8n-workflow';
import { PATHS } from '../../contract/assumptions';
import { tracyOperation } from '../../engine/operation';
import { moveBody } from '../../shared/steps';
import { datasetField, moveStateField, recordIdField, simplifyField } from '../../shared/fields';

export const operation = tracyOperation(
	{
		name: 'Move to State',
		value: 'move',
		action: 'Qualify or move a lead',
		description: 'Move a lead to another state, for example Qualified',
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
