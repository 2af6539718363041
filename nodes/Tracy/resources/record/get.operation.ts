import type { INodeProperties } from 'n8n-workflow';

import type { OperationSteps } from '../../engine/operation';
import { tracyOperation } from '../../engine/operation';
import { recordIdField, simplifyField } from '../../form/fields';
import { recordOutput, recordPath } from '../../reading/steps';

/** One record by its ID; Lead → Get is the same. */
export const getSteps: OperationSteps<void> = {
	request: { method: 'GET' },
	answer: 'record',
	prepare: recordPath,
	output: recordOutput,
};

export const operation = tracyOperation(
	{
		name: 'Get',
		subtitle: 'Get Record',
		value: 'get',
		action: 'Get a record',
		description: 'Get one record by its ID',
	},
	getSteps,
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [recordIdField, simplifyField];
