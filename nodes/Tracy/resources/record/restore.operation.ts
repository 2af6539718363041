import type { INodeProperties } from 'n8n-workflow';
import { patchOperation } from './patch';
import { recordIdField, simplifyField } from '../../form/fields';

/** Restore: takes the record out of the trash. */
export const operation = patchOperation(
	{
		name: 'Restore',
		subtitle: 'Restore Record',
		value: 'restore',
		action: 'Restore a record from the trash',
		description: 'Bring a record back from the trash',
	},
	() => ({ removed: null }),
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [recordIdField, simplifyField];
