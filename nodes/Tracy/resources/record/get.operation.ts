import type { INodeProperties } from 'n8n-workflow';
import { tracyOperation } from '../../engine/operation';
import { recordPath } from '../../shared/steps';
import { recordIdField, simplifyField } from '../../shared/fields';

export const operation = tracyOperation(
	{ name: 'Get', value: 'get', action: 'Get a record', description: 'Get one record by its ID' },
	{ request: { method: 'GET' }, answer: 'record', prepare: recordPath },
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [recordIdField, simplifyField];
