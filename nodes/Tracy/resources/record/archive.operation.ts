import type { INodeProperties } from 'n8n-workflow';
import { patchOperation } from './patch';
import { recordIdField, simplifyField } from '../../form/fields';

/** Archive: sets the archive date to now. */
export const operation = patchOperation(
	{
		name: 'Archive',
		subtitle: 'Archive Record',
		value: 'archive',
		action: 'Archive a record',
		description: 'Archive a record (Unarchive brings it back)',
	},
	() => ({ archived: new Date().toISOString() }),
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [recordIdField, simplifyField];
