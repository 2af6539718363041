import type { INodeProperties } from 'n8n-workflow';
import { patchOperation } from './patch';
import { recordIdField, simplifyField } from '../../form/fields';

/** Unarchive: clears the archive date. */
export const operation = patchOperation(
	{
		name: 'Unarchive',
		subtitle: 'Unarchive Record',
		value: 'unarchive',
		action: 'Unarchive a record',
		description: 'Take a record out of the archive',
	},
	() => ({ archived: null }),
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [recordIdField, simplifyField];
