import type { INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../contract/assumptions';
import type { OperationSteps } from '../../engine/operation';
import { tracyOperation } from '../../engine/operation';
import { datasetField, moveStateField, recordIdField, simplifyField } from '../../form/fields';
import { moveBody, recordOutput } from '../../reading/steps';

/** A move (A8), a state given by name looked up first; Lead → Move to State is the same. */
export const moveSteps: OperationSteps<void> = {
	request: { method: 'POST', url: PATHS.moves },
	answer: 'record',
	prepare: moveBody,
	output: recordOutput,
};

export const operation = tracyOperation(
	{
		name: 'Move to State',
		subtitle: 'Move Record to State',
		value: 'move',
		action: 'Move a record to another state',
		description: "Change a record's state",
	},
	moveSteps,
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [
	recordIdField,
	datasetField,
	moveStateField,
	simplifyField,
];
